#!/usr/bin/env node
// Starts the embedded IdP for local development and prints one JSON line describing it.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isVendor, type Vendor, vendors } from '@dual-auth/core';
import { loadFixtureFile } from '../idp/load-fixture-file.ts';
import { startEmbeddedIdp } from '../idp/start-embedded-idp.ts';
import type { EmbeddedIdp } from '../idp/types.ts';

const usage = `Usage: dual-auth-idp [--vendor keycloak|auth0|okta|entraid|all]... [--port N] [--http] [--fixture file.json]

Starts an identity provider on 127.0.0.1 that behaves like Keycloak, Auth0, Okta and Entra ID
(test fixtures, test TLS certificate). Prints one line of JSON when ready; stops on Ctrl-C.`;

function fail(message: string): never {
  process.stderr.write(`dual-auth-idp: ${message}\n\n${usage}\n`);
  process.exit(2);
}

let args: ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];
const options = {
  vendor: { type: 'string', multiple: true },
  port: { type: 'string' },
  http: { type: 'boolean', default: false },
  https: { type: 'boolean', default: false },
  fixture: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;
try {
  args = parseArgs({ options, strict: true }).values;
} catch (error) {
  fail((error as Error).message);
}
if (args.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const requested = (args.vendor ?? ['all']).flatMap((value) => value.split(','));
const selected: Vendor[] = requested.includes('all')
  ? [...vendors]
  : requested.map((value) => (isVendor(value) ? value : fail(`unknown vendor "${value}"`)));
const port = args.port === undefined ? 0 : Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('--port must be a port number');
if (args.http && args.https) fail('choose --http or --https, not both');

const fixture =
  args.fixture === undefined
    ? undefined
    : await loadFixtureFile(args.fixture).catch((error: Error) => fail(error.message));
let idp: EmbeddedIdp | undefined;
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await idp?.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

idp = await startEmbeddedIdp({
  vendors: selected,
  port,
  https: !args.http,
  ...(fixture ? { fixture } : {}),
});

let caFile: string | undefined;
if (idp.ca !== undefined) {
  caFile = join(tmpdir(), `dual-auth-idp-ca-${process.pid}.pem`);
  writeFileSync(caFile, idp.ca, { mode: 0o644 });
}

const description = {
  baseUrl: idp.baseUrl,
  ...(caFile ? { caFile, trust: `NODE_EXTRA_CA_CERTS=${caFile}` } : {}),
  profiles: Object.values(idp.profiles).map((profile) => ({
    vendor: profile.vendor,
    issuer: profile.issuer,
    discoveryUrl: profile.discoveryUrl,
    tokenEndpoint: profile.tokenEndpoint,
    jwksUri: profile.jwksUri,
    directoryUrl: profile.directoryUrl,
    audience: profile.audience,
    scope: profile.scope,
    clients: profile.agents.map((agent) => ({
      clientId: agent.clientId,
      clientSecret: agent.clientSecret,
      authMethods: agent.authMethods,
      roles: agent.roles,
      kind: agent.kind ?? 'agent',
      ...(agent.privateJwk ? { privateJwk: agent.privateJwk } : {}),
    })),
    users: profile.humans.map((human) => ({
      id: human.id,
      email: human.email,
      name: human.name,
      roles: human.roles,
      approvedAgents: human.approvedAgents,
    })),
  })),
};
process.stdout.write(`${JSON.stringify(description)}\n`);
