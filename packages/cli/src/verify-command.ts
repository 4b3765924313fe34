import { readFile } from 'node:fs/promises';
import {
  ConfigurationError,
  type DualAuthConfig,
  isVendor,
  SecretsBackendError,
  type Vendor,
  vendors,
} from '@dual-auth/core';
import {
  createVerifier,
  type Decision,
  type Layout,
  type VerifierOptions,
  type VerifyRequirements,
} from '@dual-auth/verifier';
import { type ExitCode, exitCodes } from './exit-codes.ts';
import { readTokenArgument } from './inspect-command.ts';
import {
  agbacHumanClaim,
  environmentWithEnvFile,
  loadAppConfig,
  probeAdapter,
} from './internal/app-config.ts';
import {
  CliExit,
  type Command,
  type CommandContext,
  parseCommandArgs,
  resolvePath,
  trustCaFile,
  writeJson,
} from './internal/command-context.ts';
import { normalizeTokenInput } from './internal/describe-token.ts';
import { entraAudienceRefusalFix } from './internal/entra-audience-fix.ts';
import { FetchJsonError, fetchJson } from './internal/fetch-json.ts';
import {
  humanPolicyOptions,
  humanStatus,
  humanVerdictText,
  readHumanPolicy,
} from './internal/human-policy.ts';
import { oktaAgentRoleHint } from './internal/okta-agent-role-hint.ts';
import {
  discoveryUrlOfIssuer,
  tokenUrlExample,
  tokenUrlSettings,
  vendorEndpoints,
} from './internal/vendor-endpoints.ts';
import { claimRefusalHint, discoveryFailure, type ExpectedClaims } from './internal/verify-hints.ts';

const help = `Usage: dual-auth verify <token | -> --vendor V --issuer URL --audience AUD [options]
       dual-auth verify <token | -> --from-config [--dotenv FILE] [options]

Runs the resource server's verifier (@dual-auth/verifier) on a token, exactly as an API configured
with these options would, and explains for each subject (agent, human, delegation) why it is
allowed or denied.

Required (unless --from-config):
  --vendor V               keycloak, auth0, okta or entraid (where the agent id, roles and scopes are)
  --issuer URL             accepted iss, exact string (Auth0 keeps its trailing slash)
  --audience AUD           accepted aud (the API identifier)
From the configuration:
  --from-config            take the settings from getConfig(), exactly as "dual-auth doctor" loads
                           them: vendor (DUAL_AUTH_VENDOR), issuer and JWKS (the discovery document
                           of the token URL), audience (API_AUDIENCE), layout (DUAL_AUTH_MODE or the
                           vendor default), the Auth0 claim (AUTH0_ACT_CLAIM), APP_ID and the app
                           key (APP_PUBLIC_KEY_PATH, else the public half of APP_PRIVATE_KEY_PATH);
                           any option given explicitly overrides its setting
  --dotenv FILE          read settings from a .env file (over the environment)
  --secrets-backend B      override DUAL_AUTH_SECRETS_BACKEND (--vendor overrides DUAL_AUTH_VENDOR)
Keys and layout:
  --jwks-uri URL           the IdP's JWKS (default: jwks_uri from the issuer's discovery document)
  --layout L               agbac | hybrid | rfc8693 (default: agbac for keycloak and auth0,
                           hybrid for okta and entraid); never guessed from the token
  --human-claim C          claim holding the human in the agbac layout (default act; auth0:
                           https://dual-auth.dev/act); delegation and agbac_ver are read from the
                           same namespace (https://dual-auth.dev/delegation, …)
Hybrid layout (the human in an act assertion):
  --act-assertion JWT      the X-Act-Assertion value ("@file" reads it from a file)
  --app-id ID              accepted act assertion issuer (the application's APP_ID)
  --app-public-key FILE    the application's public key (PEM or JWKS file), or
  --app-jwks-uri URL       the application's JWKS
Policy (roles and scopes repeatable; all must hold):
  --agent-role R  --agent-scope S
The human is authorized only by a check; with none of these it is "present, not checked" and the
decision is DENY human_unchecked, as at an API:
  --humans FILE            JSON map of human IAM id -> {"roles": [...], "agents": [...] | "*"}
                           (the API's human authorizer: an unknown human is refused)
  --human-role R           roles the human must hold (repeatable), from --humans or --human-roles-claim
  --human-roles-claim C    claim in the human's object listing the human's roles
  --human-authorized-by-idp  trust the IdP's check of the human (agbac and rfc8693 only: Keycloak
                           with the act mapper, the Auth0 Action); refused for hybrid
  --no-require-delegation  accept an agbac/hybrid token without a delegation claim
Other:
  --allow-insecure-loopback  accept http:// JWKS URLs on 127.0.0.1/localhost (local testing)
  --ca-file FILE           trust this PEM CA too (or set NODE_EXTRA_CA_CERTS)
                           (NODE_EXTRA_CA_CERTS only, before Node.js 24.5: exit 2)
  --json                   the decision as JSON
  -h, --help               this help

Exit codes: 0 ALLOW; 1 DENY (agent_denied, human_denied, human_unchecked, delegation_invalid); 2 bad usage;
3 the token, a file or (--from-config) the configuration cannot be read; 4 token_invalid;
5 idp_unavailable or discovery failed.`;

const defaultLayouts: Record<Vendor, Layout> = {
  keycloak: 'agbac',
  auth0: 'agbac',
  okta: 'hybrid',
  entraid: 'hybrid',
};

async function readFileArgument(context: CommandContext, path: string, what: string): Promise<string> {
  try {
    return await readFile(resolvePath(context, path), 'utf8');
  } catch (error) {
    throw new CliExit(
      exitCodes.input,
      `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code}`,
    );
  }
}

async function resolveJwksUri(issuer: string, given: string | undefined, token: string): Promise<string> {
  if (given !== undefined) return given;
  const url = discoveryUrlOfIssuer(issuer);
  try {
    const discovery = await fetchJson(url);
    if (typeof discovery.jwks_uri !== 'string') throw new FetchJsonError(`${url} has no jwks_uri`);
    return discovery.jwks_uri;
  } catch (error) {
    throw discoveryFailure(error, url, { what: 'the issuer', value: issuer, token });
  }
}

/** The exit status of a decision. */
export function decisionExitCode(decision: Decision): ExitCode {
  if (decision.allow) return exitCodes.ok;
  if (decision.code === 'token_invalid') return exitCodes.tokenInvalid;
  if (decision.code === 'idp_unavailable') return exitCodes.unavailable;
  return exitCodes.denied;
}

/** The decision as plain data: subjects, ids and reasons (never the token, email or name). */
export function decisionSummary(decision: Decision) {
  return {
    allow: decision.allow,
    ...(decision.allow ? {} : { code: decision.code, status: decision.status, reason: decision.reason }),
    agent: decision.agent === undefined ? undefined : { ...decision.agent },
    human:
      decision.human === undefined
        ? undefined
        : { id: decision.human.id, roles: decision.human.roles, status: humanStatus(decision) },
    ...(decision.allow ? { delegation: decision.delegation, chain: decision.chain } : {}),
    subjects: decision.subjects,
  };
}

/** Human-readable lines for a decision; `hint` follows the first line (expected vs actual claims). */
export function renderDecision(
  decision: Decision,
  context: CommandContext,
  layout: Layout,
  hint?: string,
): string {
  const { style } = context;
  const lines = [
    decision.allow
      ? style.ok(style.bold('ALLOW'))
      : `${style.fail(style.bold('DENY'))} ${decision.code} (HTTP ${decision.status}): ${decision.reason}`,
  ];
  if (hint !== undefined) lines.push(`  ${hint}`);
  const subjects = [
    ['agent', decision.agent?.id],
    ['human', decision.human?.id],
    ['delegation', decision.allow ? decision.delegation?.method : undefined],
  ] as const;
  for (const [name, id] of subjects) {
    const verdict = decision.subjects[name];
    // The human is shown as authorized only when a check authorized it; present is not enough.
    const status = name === 'human' ? humanStatus(decision) : verdict.ok ? 'authorized' : 'denied';
    const mark = { authorized: style.ok('✔'), not_checked: style.warn('!'), denied: style.fail('✘') }[status];
    const reason = name === 'human' && id !== undefined ? humanVerdictText(decision, layout) : verdict.reason;
    lines.push(`  ${mark} ${name.padEnd(10)}  ${id === undefined ? '' : `${id}: `}${reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Verifier settings taken from the configuration (`--from-config`); explicit options win. */
interface ConfiguredSettings {
  readonly vendor: Vendor;
  readonly issuer: string;
  readonly jwksUri: string | undefined;
  readonly audience: string | undefined;
  readonly layout: string | undefined;
  readonly humanClaim: string | undefined;
  readonly appId: string | undefined;
  readonly appKeys: VerifierOptions['actAssertionKeys'] | undefined;
  readonly allowInsecureLoopback: boolean;
}

/**
 * A key file's text as the verifier takes it: a JSON JWKS (or JWK) or PEM text. A file that is
 * neither is refused naming the setting only: JSON.parse's own message quotes the text, which may be
 * key material.
 */
function parseKeyText(text: string, what: string): NonNullable<VerifierOptions['actAssertionKeys']> {
  if (!text.trimStart().startsWith('{')) return text;
  try {
    return JSON.parse(text) as { keys: object[] };
  } catch {
    throw new CliExit(exitCodes.input, `${what} is not a PEM key or a JSON JWKS`);
  }
}

/** The application's public key as the API would hold it: APP_PUBLIC_KEY_PATH, else the private key's public half. */
async function configuredAppKeys(
  context: CommandContext,
  config: DualAuthConfig,
): Promise<VerifierOptions['actAssertionKeys'] | undefined> {
  if (config.appPublicKeyPath !== undefined)
    return parseKeyText(
      await readFileArgument(context, config.appPublicKeyPath, 'APP_PUBLIC_KEY_PATH'),
      'APP_PUBLIC_KEY_PATH',
    );
  if (config.appPrivateKeyPath === undefined || config.appId === undefined) return undefined;
  try {
    const { createSenderFromConfig } = await import('@dual-auth/sender');
    const sender = await createSenderFromConfig(config);
    return (await sender.publicJwks()) as unknown as { keys: object[] };
  } catch (error) {
    throw new CliExit(
      exitCodes.input,
      `the application key (APP_PRIVATE_KEY_PATH) does not load: ${(error as Error).message}`,
    );
  }
}

async function settingsFromConfig(
  context: CommandContext,
  values: {
    vendor?: string | undefined;
    issuer?: string | undefined;
    'jwks-uri'?: string | undefined;
    layout?: string | undefined;
    'human-claim'?: string | undefined;
    'app-public-key'?: string | undefined;
    'app-jwks-uri'?: string | undefined;
    dotenv?: string | undefined;
    'secrets-backend'?: string | undefined;
  },
  token: string,
): Promise<ConfiguredSettings> {
  const environment = await environmentWithEnvFile(context, values['dotenv']);
  let config: DualAuthConfig;
  try {
    const loaded = await loadAppConfig(environment, {
      vendor: values.vendor,
      secretsBackend: values['secrets-backend'],
    });
    config = loaded.config;
    if (loaded.fallback)
      context.err.write(
        "dual-auth verify: warning: the vendor or secrets backend package was loaded from the CLI's own install, not from the working directory\n",
      );
  } catch (error) {
    if (error instanceof ConfigurationError || error instanceof SecretsBackendError) {
      throw new CliExit(
        exitCodes.input,
        `the configuration does not load (getConfig): ${error.message}; "dual-auth doctor" names the fix`,
      );
    }
    throw error;
  }
  // Issuer and JWKS as doctor finds them: the discovery document next to the configured token URL.
  let issuer = values.issuer;
  let jwksUri = values['jwks-uri'];
  if (issuer === undefined) {
    const endpoints = vendorEndpoints(config.vendor, config.tokenUrl);
    if (endpoints === undefined) {
      throw new CliExit(
        exitCodes.input,
        `the configured token URL ${config.tokenUrl} is not a ${config.vendor} token endpoint (${tokenUrlExample(config.vendor)}); pass --issuer`,
      );
    }
    let discovery: Record<string, unknown>;
    try {
      discovery = await fetchJson(endpoints.discoveryUrl);
    } catch (error) {
      throw discoveryFailure(error, endpoints.discoveryUrl, {
        what: `the token URL (${tokenUrlSettings[config.vendor]})`,
        value: config.tokenUrl,
        token,
      });
    }
    if (typeof discovery.issuer !== 'string')
      throw new CliExit(exitCodes.unavailable, `${endpoints.discoveryUrl} has no issuer; pass --issuer`);
    issuer = discovery.issuer;
    if (jwksUri === undefined && typeof discovery.jwks_uri === 'string') jwksUri = discovery.jwks_uri;
  }
  // The mode and the Auth0 claim as the agent's adapter reads them.
  let layout = values.layout;
  let humanClaim = values['human-claim'];
  if (layout === undefined || (humanClaim === undefined && config.vendor === 'auth0')) {
    let probed: Awaited<ReturnType<typeof probeAdapter>>;
    try {
      probed = await probeAdapter(config);
    } catch (error) {
      throw new CliExit(
        exitCodes.input,
        `the ${config.vendor} adapter refuses the configuration: ${(error as Error).message}; pass --layout, or run "dual-auth doctor"`,
      );
    }
    layout ??= probed.mode;
    if (layout === 'agbac') humanClaim ??= agbacHumanClaim(config, probed.probe);
  }
  const explicitAppKey = values['app-public-key'] !== undefined || values['app-jwks-uri'] !== undefined;
  return {
    vendor: config.vendor,
    issuer,
    jwksUri,
    audience: config.audience,
    layout,
    humanClaim,
    appId: config.appId,
    appKeys: layout === 'hybrid' && !explicitAppKey ? await configuredAppKeys(context, config) : undefined,
    allowInsecureLoopback: config.allowInsecureLoopback,
  };
}

async function run(argv: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      vendor: { type: 'string' },
      issuer: { type: 'string' },
      audience: { type: 'string' },
      'jwks-uri': { type: 'string' },
      layout: { type: 'string' },
      'human-claim': { type: 'string' },
      'act-assertion': { type: 'string' },
      'app-id': { type: 'string' },
      'app-public-key': { type: 'string' },
      'app-jwks-uri': { type: 'string' },
      'agent-role': { type: 'string', multiple: true },
      'agent-scope': { type: 'string', multiple: true },
      ...humanPolicyOptions,
      'require-delegation': { type: 'boolean' },
      'allow-insecure-loopback': { type: 'boolean' },
      'from-config': { type: 'boolean', default: false },
      dotenv: { type: 'string' },
      'secrets-backend': { type: 'string' },
    },
    true,
  );
  if (values.help) {
    context.out.write(`${help}\n`);
    return exitCodes.ok;
  }
  if (positionals.length > 1) throw new CliExit(exitCodes.usage, 'verify takes one token');
  if (!values['from-config'] && (values['dotenv'] !== undefined || values['secrets-backend'] !== undefined))
    throw new CliExit(exitCodes.usage, '--dotenv and --secrets-backend go with --from-config');
  if (!values['from-config']) {
    if (values.vendor === undefined || !isVendor(values.vendor))
      throw new CliExit(exitCodes.usage, `--vendor must be one of ${vendors.join(', ')}`);
    if (values.issuer === undefined) throw new CliExit(exitCodes.usage, '--issuer is required');
    if (values.audience === undefined) throw new CliExit(exitCodes.usage, '--audience is required');
  } else if (values.vendor !== undefined && !isVendor(values.vendor)) {
    throw new CliExit(exitCodes.usage, `--vendor must be one of ${vendors.join(', ')}`);
  }
  if (values.layout !== undefined && !['agbac', 'hybrid', 'rfc8693'].includes(values.layout))
    throw new CliExit(exitCodes.usage, '--layout must be agbac, hybrid or rfc8693');
  await trustCaFile(context, values['ca-file']);
  const token = await readTokenArgument(context, positionals[0]);
  const configured = values['from-config'] ? await settingsFromConfig(context, values, token) : undefined;

  const vendor = (configured?.vendor ?? values.vendor) as Vendor;
  const issuer = values.issuer ?? (configured?.issuer as string);
  const audience = values.audience ?? configured?.audience;
  if (audience === undefined)
    throw new CliExit(exitCodes.usage, '--audience is required (API_AUDIENCE is not set)');
  const layout = (values.layout ?? configured?.layout ?? defaultLayouts[vendor]) as Layout;
  const humanClaim =
    values['human-claim'] ??
    configured?.humanClaim ??
    (vendor === 'auth0' && layout === 'agbac' ? 'https://dual-auth.dev/act' : 'act');
  const humanPolicy = await readHumanPolicy(context, values, layout);
  let actAssertion: string | undefined;
  if (values['act-assertion'] !== undefined) {
    const raw = values['act-assertion'];
    actAssertion = normalizeTokenInput(
      raw.startsWith('@') ? await readFileArgument(context, raw.slice(1), '--act-assertion') : raw,
    );
  }
  let hybrid: Partial<VerifierOptions> = {};
  if (layout === 'hybrid') {
    const appId = values['app-id'] ?? configured?.appId;
    if (appId === undefined)
      throw new CliExit(
        exitCodes.usage,
        `the hybrid layout needs --app-id${configured === undefined ? '' : ' (APP_ID is not set)'}`,
      );
    if (values['app-public-key'] !== undefined && values['app-jwks-uri'] !== undefined)
      throw new CliExit(exitCodes.usage, 'give one of --app-public-key and --app-jwks-uri, not both');
    let keys: VerifierOptions['actAssertionKeys'] = configured?.appKeys;
    if (values['app-public-key'] !== undefined) {
      const text = await readFileArgument(context, values['app-public-key'], '--app-public-key');
      keys = parseKeyText(text, '--app-public-key');
    }
    if (keys === undefined && values['app-jwks-uri'] === undefined) {
      throw new CliExit(
        exitCodes.usage,
        `the hybrid layout needs one of --app-public-key and --app-jwks-uri${configured === undefined ? '' : ' (APP_PUBLIC_KEY_PATH and APP_PRIVATE_KEY_PATH are not set)'}`,
      );
    }
    hybrid = {
      actAssertionIssuer: appId,
      ...(keys === undefined
        ? { actAssertionJwksUri: values['app-jwks-uri'] as string }
        : { actAssertionKeys: keys }),
    };
  }
  const jwksUri = await resolveJwksUri(
    issuer,
    values['jwks-uri'] ?? (values.issuer === undefined ? configured?.jwksUri : undefined),
    token,
  );
  let verifier: ReturnType<typeof createVerifier>;
  try {
    verifier = createVerifier({
      issuer,
      audience,
      jwksUri,
      vendor,
      layout,
      humanClaim,
      cache: false,
      allowInsecureLoopback: values['allow-insecure-loopback'] ?? configured?.allowInsecureLoopback ?? false,
      ...(values['require-delegation'] === undefined
        ? {}
        : { requireDelegation: values['require-delegation'] }),
      ...humanPolicy.verifierOptions,
      ...hybrid,
    });
  } catch (error) {
    const message = (error as Error).message;
    // The application key was read and parsed but is no usable public key (a private key, an
    // encryption key, too short): a problem with the input file, not with the command line.
    const keyProblem = /^actAssertionkeys(?:\[\d+\])? (.*)$/s.exec(message);
    if (keyProblem !== null && hybrid.actAssertionKeys !== undefined) {
      const setting =
        values['app-public-key'] !== undefined ? '--app-public-key' : 'the configured application key';
      throw new CliExit(exitCodes.input, `${setting}: the key ${keyProblem[1]}`);
    }
    throw new CliExit(exitCodes.usage, message);
  }
  const requirements: VerifyRequirements = {
    ...(values['agent-role'] === undefined ? {} : { agentRoles: values['agent-role'] }),
    ...(values['agent-scope'] === undefined ? {} : { agentScopes: values['agent-scope'] }),
    ...(humanPolicy.humanRoles === undefined ? {} : { humanRoles: humanPolicy.humanRoles }),
    action: 'verify',
    resource: 'dual-auth-cli',
  };
  const decision = await verifier.verify(
    { authorization: `Bearer ${token}`, actAssertion, method: 'GET', path: '/' },
    requirements,
  );
  const appId = hybrid.actAssertionIssuer as string | undefined;
  const expected: ExpectedClaims = {
    issuer: { value: issuer, name: values.issuer === undefined ? 'the discovery issuer' : '--issuer' },
    audience: { value: audience, name: values.audience === undefined ? 'API_AUDIENCE' : '--audience' },
    appId:
      appId === undefined
        ? undefined
        : { value: appId, name: values['app-id'] === undefined ? 'APP_ID' : '--app-id' },
  };
  const claimHint = claimRefusalHint(decision, token, actAssertion, expected);
  const entraFix =
    vendor === 'entraid' ? entraAudienceRefusalFix(decision, token, expected.audience) : undefined;
  const hint =
    (claimHint !== undefined && entraFix !== undefined ? `${claimHint}: ${entraFix}` : claimHint) ??
    oktaAgentRoleHint(decision, vendor);
  if (values.json)
    writeJson(context, {
      ...decisionSummary(decision),
      ...(hint === undefined ? {} : { hint }),
      exitCode: decisionExitCode(decision),
    });
  else context.out.write(renderDecision(decision, context, layout, hint));
  return decisionExitCode(decision);
}

/** `dual-auth verify`. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'run the verifier on a token and explain, per subject, why it is allowed or denied',
  help,
  run,
};
