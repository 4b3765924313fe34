// Shared pieces of the end-to-end suites: the four vendors' adapters and verifier settings, real
// HTTPS servers on loopback, a logger that keeps every line, and the canary scan.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { Auth0Adapter } from '@dual-auth/adapter-auth0';
import { EntraIDAdapter } from '@dual-auth/adapter-entraid';
import { KeycloakAdapter } from '@dual-auth/adapter-keycloak';
import { OktaAdapter } from '@dual-auth/adapter-okta';
import {
  type AdapterOptions,
  type AuditEvent,
  type DelegationMode,
  type DualAuthConfig,
  type IdpAdapter,
  type Logger,
  Secret,
  type Vendor,
} from '@dual-auth/core';
import type { AgentFixture, HumanFixture, IdpProfile } from '@dual-auth/testkit';
import { testTls } from '@dual-auth/testkit';
import {
  createStaticHumanAuthorizer,
  createVerifier,
  type Layout,
  type Verifier,
  type VerifierOptions,
  type VerifyRequirements,
} from '@dual-auth/verifier';

export const vendors: readonly Vendor[] = ['keycloak', 'auth0', 'okta', 'entraid'];

/** The application's id: `iss` of its act JWTs and act assertions. */
export const APP_ID = 'https://app.dual-auth.test';

/** The claim the embedded Auth0 profile's Action writes the human to (the fixture's default). */
export const AUTH0_ACT_CLAIM = 'https://dual-auth.dev/act';

/** What differs between vendors, for building adapters and verifiers against the embedded IdP. */
export interface VendorCase {
  readonly vendor: Vendor;
  /** The seed's setting holding the token URL. */
  readonly tokenUrlKey: string;
  /** Delegation modes the vendor (and its embedded profile) supports; the first is the default. */
  readonly modes: readonly DelegationMode[];
  createAdapter(config: DualAuthConfig, options: AdapterOptions): IdpAdapter;
  /** What a route asks of the agent, in this vendor's token (roles, or Okta's scopes). */
  readonly agentRequirement: Pick<VerifyRequirements, 'agentRoles' | 'agentScopes'>;
  /** The verifier's `humanClaim` in the agbac layout. */
  readonly humanClaim: string;
}

export const vendorCases: Readonly<Record<Vendor, VendorCase>> = {
  keycloak: {
    vendor: 'keycloak',
    tokenUrlKey: 'KEYCLOAK_TOKEN_URL',
    modes: ['agbac', 'hybrid'],
    createAdapter: (config, options) => new KeycloakAdapter(config, options),
    agentRequirement: { agentRoles: ['FinanceAgent'] },
    humanClaim: 'act',
  },
  auth0: {
    vendor: 'auth0',
    tokenUrlKey: 'AUTH0_TOKEN_URL',
    modes: ['agbac', 'hybrid'],
    createAdapter: (config, options) => new Auth0Adapter(config, options),
    agentRequirement: { agentRoles: ['FinanceAgent'] },
    humanClaim: AUTH0_ACT_CLAIM,
  },
  okta: {
    vendor: 'okta',
    tokenUrlKey: 'OKTA_TOKEN_URL',
    modes: ['hybrid'],
    createAdapter: (config, options) => new OktaAdapter(config, options),
    // Okta's client-credentials tokens carry the granted scopes (`scp`) and no groups (no user); the
    // verifier's Okta profile reads agent roles from `scp` too.
    agentRequirement: { agentScopes: ['finance.read'] },
    humanClaim: 'act',
  },
  entraid: {
    vendor: 'entraid',
    tokenUrlKey: 'ENTRAID_TOKEN_URL',
    modes: ['hybrid'],
    createAdapter: (config, options) => new EntraIDAdapter(config, options),
    agentRequirement: { agentRoles: ['FinanceAgent'] },
    humanClaim: 'act',
  },
};

/** The human role every route of the test API requires (the fixture's `humanRole`). */
export const HUMAN_ROLE = 'FinanceUser';

export function agentNamed(profile: IdpProfile, clientId: string): AgentFixture {
  const agent = profile.agents.find((candidate) => candidate.clientId === clientId);
  if (agent === undefined) throw new TypeError(`fixture agent ${clientId} is missing`);
  return agent;
}

/** A fixture human by the local part of their email (alice, bob, carol), with the vendor's id. */
export function humanNamed(profile: IdpProfile, name: string): HumanFixture {
  const human = profile.humans.find((candidate) => candidate.email.startsWith(`${name}@`));
  if (human === undefined) throw new TypeError(`fixture human ${name} is missing`);
  return human;
}

/** A validated configuration as `getConfig()` would return it for this profile and agent. */
export function configFor(profile: IdpProfile, agent: AgentFixture): DualAuthConfig {
  const tokenUrlKey = vendorCases[profile.vendor].tokenUrlKey;
  return Object.freeze({
    vendor: profile.vendor,
    secretsBackend: 'inline',
    tokenUrl: profile.tokenEndpoint,
    clientId: agent.clientId,
    clientSecret: new Secret(agent.clientSecret),
    audience: profile.audience,
    scope: profile.scope,
    appId: APP_ID,
    appPrivateKeyPath: undefined,
    appPublicKeyPath: undefined,
    agentEndpoint: undefined,
    apiUrl: undefined,
    allowInsecureLoopback: false,
    settings: Object.freeze({ [tokenUrlKey]: profile.tokenEndpoint, AGENT_CLIENT_ID: agent.clientId }),
  });
}

/** The API's view of the IdP's directory: each human's roles and the agents they approved. */
export function humanAuthorizerFor(profile: IdpProfile) {
  return createStaticHumanAuthorizer(
    Object.fromEntries(
      profile.humans.map((human) => [human.id, { roles: human.roles, agents: human.approvedAgents }]),
    ),
  );
}

export interface ApiVerifierOptions {
  readonly profile: IdpProfile;
  readonly layout: Layout;
  /** The application's JWKS URL, for act assertions (hybrid layout). */
  readonly appJwksUrl?: string;
  /** Or the application's public keys themselves (a JWKS). */
  readonly appKeys?: { readonly keys: readonly object[] };
  /** `false` for tokens from agents that never send a delegation (the Python reference's). */
  readonly requireDelegation?: boolean;
  /** rfc8693: the agents a token without `act` may name (required to read Okta's and Entra ID's). */
  readonly onBehalfOfAgents?: readonly string[];
  readonly logger?: Logger;
  readonly audit?: (event: AuditEvent) => void;
  /** The human policy; default the API's directory (`humanAuthorizerFor(profile)`). */
  readonly humanPolicy?: Pick<
    VerifierOptions,
    'humanAuthorizer' | 'humanRolesClaim' | 'humanAuthorizedByIdp'
  >;
}

/** The resource server's verifier for tokens of `profile`, with the IdP's real JWKS over HTTPS. */
export function apiVerifier(options: ApiVerifierOptions): Verifier {
  const { profile, layout } = options;
  return createVerifier({
    issuer: profile.issuer,
    audience: profile.audience,
    jwksUri: profile.jwksUri,
    vendor: profile.vendor,
    layout,
    humanClaim: vendorCases[profile.vendor].humanClaim,
    ...(options.humanPolicy ?? { humanAuthorizer: humanAuthorizerFor(profile) }),
    ...(layout !== 'hybrid' || options.appJwksUrl === undefined
      ? {}
      : { hybrid: { jwksUri: options.appJwksUrl, issuer: APP_ID } }),
    ...(layout !== 'hybrid' || options.appKeys === undefined
      ? {}
      : { hybrid: { keys: options.appKeys, issuer: APP_ID } }),
    ...(options.requireDelegation === undefined ? {} : { requireDelegation: options.requireDelegation }),
    ...(options.onBehalfOfAgents === undefined ? {} : { onBehalfOfAgents: options.onBehalfOfAgents }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.audit === undefined ? {} : { audit: options.audit }),
  });
}

/** What every route of the test API requires, for `vendor`'s token shape. */
export function routeRequirements(vendor: Vendor): VerifyRequirements {
  return { ...vendorCases[vendor].agentRequirement, humanRoles: [HUMAN_ROLE] };
}

export interface HttpsServer {
  readonly url: string;
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

/** A real HTTPS server on 127.0.0.1 (test CA certificate); a handler failure answers 500. */
export async function startHttpsServer(handler: Handler): Promise<HttpsServer> {
  const { cert, key } = testTls();
  const server = createServer({ cert, key }, (request, response) => {
    Promise.resolve(handler(request, response)).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"error":"internal"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reads a request body (bounded), as text. */
export async function readBody(request: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new RangeError('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export { capturingLogger } from '@dual-auth/testkit';

/** Every way a value can end up in a log or a response: string, JSON, inspect, and an error's cause chain. */
export function views(value: unknown): string[] {
  const texts = [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { depth: 10, showHidden: true, getters: true }),
  ];
  let cause: unknown = value instanceof Error ? value.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    texts.push(String(cause), inspect(cause, { depth: 10, showHidden: true }));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return texts;
}

/** The canaries found in any of `texts` (empty when none leaked). */
export function leakedCanaries(texts: readonly string[], canaries: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const canary of canaries) {
    if (canary.length < 6) throw new TypeError('a canary must be distinctive (≥ 6 characters)');
    const found = texts.find((text) => text.includes(canary));
    if (found !== undefined) leaks.push(`${canary} in: ${found.slice(0, 300)}`);
  }
  return leaks;
}

/** Captures what is written to stdout and stderr (SDK debug output, stray console calls) until restored. */
export function captureProcessOutput(): { written: string[]; restore(): void } {
  const written: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write.bind(stream));
  for (const [index, stream] of streams.entries()) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (originals[index] as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  }
  return {
    written,
    restore: () => {
      for (const [index, stream] of streams.entries()) {
        stream.write = originals[index] as typeof stream.write;
      }
    },
  };
}
