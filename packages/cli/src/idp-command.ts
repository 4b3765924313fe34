import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isVendor, type Vendor, vendors } from '@dual-auth/core';
import { type ExitCode, exitCodes } from './exit-codes.ts';
import {
  CliExit,
  type Command,
  type CommandContext,
  parseCommandArgs,
  resolvePath,
} from './internal/command-context.ts';
import { tokenUrlSettings } from './internal/vendor-endpoints.ts';
import { writeIdpEnv } from './internal/write-idp-env.ts';

const help = `Usage: dual-auth idp [--vendor V[,V...]] [--port N] [--http] [--fixture FILE] [--ca-out FILE] [--json]
       dual-auth idp --vendor V --write-env FILE [--agent ID] [...]

Starts the embedded identity provider of @dual-auth/testkit on 127.0.0.1 for local development: it
behaves like Keycloak, Auth0, Okta and Entra ID on the wire (URLs, issuers, client authentication,
token layouts, errors, pre-approval), with test fixtures: agents finance-agent (approved) and
rogue-agent (no agent role); humans alice (approved), bob (no human role), carol (did not approve).
Prints the settings for each vendor, then serves until Ctrl-C. Test keys and a test CA: never use
it for anything real.

Options:
  --vendor V               keycloak, auth0, okta, entraid or all (default all); repeatable or comma-separated
  --port N                 port (default: any free port)
  --http                   plain http instead of https (set DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true)
  --fixture FILE           a JSON fixture file over the defaults: realm, oktaAuthServerId,
                           entraTenantId, api {identifier, scopes}, agentRole, humanRole,
                           auth0ActClaim, agents [{clientId, clientSecret (>= 32 characters),
                           authMethods, roles}], humans [{id, email, name, roles, approvedAgents}]
  --ca-out FILE            where to write the test CA (default: a file in the temp directory)
  --write-env FILE         write a ready .env for one vendor (mode 0600): its settings, the agent's
                           secret, an approved test human and the human policy doctor needs; for okta
                           and entraid also APP_ID with a fresh key pair and a humans map, and the test
                           CA, beside FILE (dual-auth-<vendor>-*). Then: dual-auth doctor --dotenv FILE
                           (with NODE_EXTRA_CA_CERTS=<the CA file>). Replaces only a file it wrote.
  --agent ID               the agent --write-env configures (default: the first with the agent role)
  --without-keycloak-mapper   the Keycloak realm has no act mapper (to see doctor name that fault)
  --without-auth0-action      the Auth0 tenant has no credentials-exchange Action
  --json                   one JSON line describing the running IdP (with fixture clients and users)
  -h, --help               this help

Exit codes: 0 stopped by Ctrl-C / SIGTERM, 2 bad usage, 3 the fixture file is unreadable or
invalid, or cannot listen or write the CA file.`;

function stopped(context: CommandContext): Promise<void> {
  return new Promise((resolve) => {
    if (context.signal !== undefined) {
      if (context.signal.aborted) return resolve();
      context.signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function run(argv: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { values } = parseCommandArgs(
    argv,
    {
      vendor: { type: 'string', multiple: true },
      port: { type: 'string' },
      http: { type: 'boolean', default: false },
      'ca-out': { type: 'string' },
      'write-env': { type: 'string' },
      agent: { type: 'string' },
      fixture: { type: 'string' },
      'without-keycloak-mapper': { type: 'boolean', default: false },
      'without-auth0-action': { type: 'boolean', default: false },
    },
    false,
  );
  if (values.help) {
    context.out.write(`${help}\n`);
    return exitCodes.ok;
  }
  const requested = (values.vendor ?? ['all'])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim());
  const selected: Vendor[] = requested.includes('all')
    ? [...vendors]
    : requested.map((value) => {
        if (!isVendor(value))
          throw new CliExit(exitCodes.usage, `unknown vendor "${value}" (${vendors.join(', ')}, all)`);
        return value;
      });
  if (values['write-env'] !== undefined && selected.length !== 1)
    throw new CliExit(exitCodes.usage, "--write-env writes one vendor's settings: give exactly one --vendor");
  if (values.agent !== undefined && values['write-env'] === undefined)
    throw new CliExit(exitCodes.usage, '--agent goes with --write-env');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new CliExit(exitCodes.usage, '--port must be a port number');

  const { defaultIdpFixture, loadFixtureFile, startEmbeddedIdp } = await import('@dual-auth/testkit');
  let fixture: Awaited<ReturnType<typeof loadFixtureFile>> | undefined;
  if (values.fixture !== undefined) {
    try {
      fixture = await loadFixtureFile(resolvePath(context, values.fixture));
    } catch (error) {
      // The loader names the file and the first invalid field.
      throw new CliExit(exitCodes.input, (error as Error).message);
    }
  }
  let idp: Awaited<ReturnType<typeof startEmbeddedIdp>>;
  try {
    idp = await startEmbeddedIdp({
      vendors: selected,
      port,
      https: !values.http,
      ...(fixture === undefined ? {} : { fixture }),
      ...(values['without-keycloak-mapper'] ? { keycloakActMapper: false as const } : {}),
      ...(values['without-auth0-action'] ? { auth0Action: () => undefined } : {}),
    });
  } catch (error) {
    throw new CliExit(
      exitCodes.input,
      `cannot start the IdP: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  // Without --ca-out the CA goes to a private directory of its own (mkdtemp, mode 0700), created
  // exclusively and removed on stop: a predictable name in the shared tmp directory could be
  // planted in advance (a symlink, or a CA of someone else's) by another user.
  let caDirectory: string | undefined;
  try {
    let caFile: string | undefined;
    // With --write-env (and no --ca-out) the CA is written beside the .env: one file to trust.
    if (idp.ca !== undefined && (values['ca-out'] !== undefined || values['write-env'] === undefined)) {
      try {
        if (values['ca-out'] === undefined) {
          caDirectory = await mkdtemp(join(tmpdir(), 'dual-auth-idp-'));
          caFile = join(caDirectory, 'ca.pem');
          const handle = await open(caFile, 'wx', 0o644);
          try {
            await handle.writeFile(idp.ca, 'utf8');
          } finally {
            await handle.close();
          }
        } else {
          caFile = resolvePath(context, values['ca-out']);
          await writeFile(caFile, idp.ca, { mode: 0o644 });
        }
      } catch (error) {
        throw new CliExit(
          exitCodes.input,
          `cannot write the CA to ${caFile ?? tmpdir()}: ${(error as NodeJS.ErrnoException).code}`,
        );
      }
    }
    const profiles = Object.values(idp.profiles).map((profile) => ({
      vendor: profile.vendor,
      issuer: profile.issuer,
      discoveryUrl: profile.discoveryUrl,
      tokenEndpoint: profile.tokenEndpoint,
      jwksUri: profile.jwksUri,
      audience: profile.audience,
      scope: profile.scope,
      clients: profile.agents.map((agent) => ({
        clientId: agent.clientId,
        clientSecret: agent.clientSecret,
        roles: agent.roles,
        kind: agent.kind ?? 'agent',
      })),
      users: profile.humans.map((human) => ({
        id: human.id,
        email: human.email,
        roles: human.roles,
        approvedAgents: human.approvedAgents,
      })),
    }));
    const { agentRole, humanRole } = fixture ?? defaultIdpFixture();
    const [firstProfile] = Object.values(idp.profiles);
    const written =
      values['write-env'] === undefined || firstProfile === undefined
        ? undefined
        : await writeIdpEnv({
            profile: firstProfile,
            envFile: resolvePath(context, values['write-env']),
            agentId: values.agent,
            agentRole,
            humanRole,
            ca: idp.ca,
            insecureHttp: values.http,
          });
    caFile ??= written?.caFile;
    if (values.json) {
      context.out.write(
        `${JSON.stringify({
          baseUrl: idp.baseUrl,
          ...(caFile === undefined ? {} : { caFile }),
          ...(written === undefined ? {} : { envFile: written.envFile, envCaFile: written.caFile }),
          profiles,
        })}\n`,
      );
    } else {
      const { style } = context;
      const lines = [
        `${style.ok('✔')} embedded IdP on ${style.bold(idp.baseUrl)} (test keys, test fixtures)`,
      ];
      if (caFile !== undefined)
        lines.push(`  trust its CA: NODE_EXTRA_CA_CERTS=${caFile}   (or --ca-file ${caFile})`);
      else lines.push('  plain http: set DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true');
      for (const profile of profiles) {
        // The first agent with the agent role, and a human with the human role who approved it.
        const agent =
          profile.clients.find((client) => client.kind === 'agent' && client.roles.includes(agentRole)) ??
          profile.clients[0];
        const alice =
          profile.users.find(
            (user) => user.roles.includes(humanRole) && user.approvedAgents.includes(agent?.clientId ?? ''),
          ) ?? profile.users[0];
        lines.push(
          '',
          style.bold(profile.vendor),
          `  issuer ${profile.issuer}`,
          `  jwks   ${profile.jwksUri}`,
          `  DUAL_AUTH_VENDOR=${profile.vendor}`,
          `  ${tokenUrlSettings[profile.vendor]}=${profile.tokenEndpoint}`,
          `  AGENT_CLIENT_ID=${agent?.clientId ?? ''}`,
          `  AGENT_CLIENT_SECRET=${agent?.clientSecret ?? ''}`,
          `  API_AUDIENCE=${profile.audience}`,
          `  API_SCOPE=${profile.scope.join(' ')}`,
          `  test human (approved): ${alice?.id ?? ''}`,
        );
        if (profile.vendor === 'okta' || profile.vendor === 'entraid')
          lines.push(
            `  hybrid mode also needs APP_ID and APP_PRIVATE_KEY_PATH ("dual-auth keygen"), and doctor a human policy (--humans FILE --human-role ${humanRole}): --write-env FILE writes them all`,
          );
      }
      if (written !== undefined) {
        const trust = written.caFile === undefined ? '' : `NODE_EXTRA_CA_CERTS=${written.caFile} `;
        lines.push(
          '',
          `${style.ok('✔')} wrote ${written.envFile} (mode 600) for agent ${written.agent}${written.files.length === 0 ? '' : `, and ${written.files.join(', ')}`}`,
          `  check it from a checkout: ${trust}npm run cli -- doctor --dotenv ${written.envFile}`,
          `  or, with @dual-auth/cli installed: ${trust}npx dual-auth doctor --dotenv ${written.envFile}`,
        );
      }
      lines.push('', style.dim('Ctrl-C stops it.'), '');
      context.out.write(lines.join('\n'));
    }
    await stopped(context);
    return exitCodes.ok;
  } finally {
    await idp.close();
    if (caDirectory !== undefined) await rm(caDirectory, { recursive: true, force: true });
  }
}

/** `dual-auth idp`. */
export const idpCommand: Command = {
  name: 'idp',
  summary: 'start the embedded IdP (Keycloak, Auth0, Okta, Entra ID profiles) for local development',
  help,
  run,
};
