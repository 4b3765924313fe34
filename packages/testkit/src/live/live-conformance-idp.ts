import { createPrivateKey } from 'node:crypto';
import { ConfigurationError, type Logger } from '@dual-auth/core';
import { readKeyFile } from '@dual-auth/core/config';
import { parseStrictJsonObject, readLimitedText } from '@dual-auth/core/oauth';
import type { JWK } from 'jose';
import type { ConformanceIdp } from '../conformance/idp-adapter-harness.ts';
import type { AgentFixture, HumanFixture } from '../idp/types.ts';
import { liveVariablePrefix } from './live-tenant-variables.ts';
import type { LiveClient, LiveTenant } from './read-live-tenant.ts';

/**
 * Where a live tenant's discovery document sends the suite.
 *
 * @example
 * ```ts
 * const { tokenEndpoint, jwksUri }: LiveTenantEndpoints = await discoverLiveTenant(tenant);
 * ```
 */
export interface LiveTenantEndpoints {
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
}

const maximumDiscoveryBytes = 256 * 1024;
const maximumKeyFileBytes = 64 * 1024;

const stderrLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (message, fields) => void process.stderr.write(`${message} ${JSON.stringify(fields ?? {})}\n`),
  error: (message, fields) => void process.stderr.write(`${message} ${JSON.stringify(fields ?? {})}\n`),
};

function endpointOf(document: Readonly<Record<string, unknown>>, member: string, tenant: LiveTenant): string {
  const value = document[member];
  const setting = `${liveVariablePrefix(tenant.vendor)}ISSUER`;
  if (typeof value !== 'string' || !value.startsWith('https://'))
    throw new ConfigurationError(`the discovery document of ${setting} has no https ${member}.`, { setting });
  // The live network guard opens only the issuer's host; say so rather than fail on a refused connection.
  if (new URL(value).hostname !== new URL(tenant.issuer).hostname)
    throw new ConfigurationError(
      `the ${member} of ${setting} is on another host than the issuer; the live suite reaches only the issuer's host.`,
      { setting },
    );
  return value;
}

/**
 * Reads the tenant's OpenID discovery document (`{issuer}/.well-known/openid-configuration`) and
 * checks that it names the configured issuer exactly.
 *
 * @example
 * ```ts
 * const endpoints = await discoverLiveTenant(tenant);
 * ```
 * @throws {ConfigurationError} an unreachable, malformed or mismatching discovery document.
 */
export async function discoverLiveTenant(
  tenant: LiveTenant,
  fetchImplementation: typeof fetch = fetch,
): Promise<LiveTenantEndpoints> {
  const setting = `${liveVariablePrefix(tenant.vendor)}ISSUER`;
  const url = `${tenant.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let document: Readonly<Record<string, unknown>> | undefined;
  try {
    const response = await fetchImplementation(url, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = parseStrictJsonObject(await readLimitedText(response, maximumDiscoveryBytes));
  } catch (cause) {
    throw new ConfigurationError(`the discovery document of ${setting} (${url}) could not be read.`, {
      setting,
      cause,
    });
  }
  if (document === undefined)
    throw new ConfigurationError(`the discovery document of ${setting} is not a JSON object.`, { setting });
  if (document.issuer !== tenant.issuer)
    throw new ConfigurationError(
      `${setting} differs from the issuer the tenant announces (${String(document.issuer)}).`,
      { setting },
    );
  return {
    tokenEndpoint: endpointOf(document, 'token_endpoint', tenant),
    jwksUri: endpointOf(document, 'jwks_uri', tenant),
  };
}

function privateJwkOf(text: string, setting: string): JWK {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const jwk = parseStrictJsonObject(trimmed);
    if (jwk === undefined || typeof jwk.d !== 'string' || typeof jwk.kty !== 'string')
      throw new ConfigurationError(`${setting} is not a private JWK.`, { setting });
    return jwk as JWK;
  }
  try {
    return createPrivateKey({ key: trimmed, format: 'pem' }).export({ format: 'jwk' }) as JWK;
  } catch {
    throw new ConfigurationError(`${setting} is neither a PEM private key nor a private JWK.`, { setting });
  }
}

async function agentFixture(
  tenant: LiveTenant,
  client: LiveClient,
  role: 'AGENT' | 'ROGUE',
  logger: Logger,
): Promise<AgentFixture> {
  let privateJwk: JWK | undefined;
  if (client.privateKeyPath !== undefined) {
    const setting = `${liveVariablePrefix(tenant.vendor)}${role}_PRIVATE_KEY_PATH`;
    const text = await readKeyFile(client.privateKeyPath, {
      setting,
      maximumBytes: maximumKeyFileBytes,
      logger,
      looseModeWarning: 'live private key file is readable by group or others; restrict it with chmod 600',
    });
    const jwk = privateJwkOf(text, setting);
    const kid = client.privateKeyId ?? jwk.kid;
    privateJwk = { ...jwk, ...(kid === undefined ? {} : { kid }) };
  }
  return {
    clientId: client.clientId,
    // The suite appends to it for its wrong-credentials case; a key-only client has none.
    clientSecret: client.clientSecret?.reveal() ?? '',
    ...(privateJwk === undefined ? {} : { privateJwk }),
    authMethods: [tenant.authMethod],
    roles: tenant.agentRole === undefined ? [] : [tenant.agentRole],
  };
}

function humanFixture(id: string, index: number, agentId: string, approved: boolean): HumanFixture {
  // Display values the suite sends as canaries; the tenant's own records are never read.
  return {
    id,
    email: `live-human-${index}@dual-auth.invalid`,
    name: `Live Human ${index}`,
    roles: [],
    approvedAgents: approved ? [agentId] : [],
  };
}

/**
 * The live tenant as {@link describeIdpAdapter}'s real IdP: its discovered endpoints, its two agents
 * (keys read from their files) and its test humans, with the cast naming who is who. It has no
 * fault switches, so the suite skips its fault cases.
 *
 * @example
 * ```ts
 * describeIdpAdapter('live okta', { …, realIdp: () => liveConformanceIdp(tenant) });
 * ```
 * @throws {ConfigurationError} discovery or a key file fails (naming the variable, never a value).
 */
export async function liveConformanceIdp(
  tenant: LiveTenant,
  options: { readonly fetch?: typeof fetch; readonly logger?: Logger } = {},
): Promise<ConformanceIdp & { readonly profile: LiveTenantEndpoints }> {
  const logger = options.logger ?? stderrLogger;
  const endpoints = await discoverLiveTenant(tenant, options.fetch);
  // One after the other: when both key files are wrong, the error names the agent's, every time.
  const agents = [
    await agentFixture(tenant, tenant.agent, 'AGENT', logger),
    await agentFixture(tenant, tenant.rogueAgent, 'ROGUE', logger),
  ];
  const agentId = tenant.agent.clientId;
  return {
    profile: {
      issuer: tenant.issuer,
      ...endpoints,
      audience: tenant.audience,
      scope: tenant.scope,
      agents,
      humans: [
        humanFixture(tenant.approvedHuman, 0, agentId, true),
        ...tenant.refusedHumans.map((id, index) => humanFixture(id, index + 1, agentId, false)),
      ],
    },
    cast: { agent: agentId, rogueAgent: tenant.rogueAgent.clientId, approvedHuman: tenant.approvedHuman },
    close: async () => {},
  };
}
