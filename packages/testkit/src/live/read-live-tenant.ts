import {
  type ClientAuthMethod,
  ConfigurationError,
  type DelegationMode,
  Secret,
  type Vendor,
} from '@dual-auth/core';
import { liveTenantVariables, liveVariablePrefix, liveVendorProfiles } from './live-tenant-variables.ts';

/**
 * One client (agent) of a live tenant, as its variables describe it.
 *
 * @example
 * ```ts
 * const agent: LiveClient = { clientId: '0oa1…', clientSecret: new Secret(process.env.SECRET ?? '') };
 * ```
 */
export interface LiveClient {
  readonly clientId: string;
  readonly clientSecret?: Secret;
  /** The private key file for `private_key_jwt` (read when the suite starts, never here). */
  readonly privateKeyPath?: string;
  readonly privateKeyId?: string;
  /** `x5t#S256` of the key's certificate (Entra ID finds certificate keys by it). */
  readonly certificateThumbprint?: string;
}

/**
 * A real tenant of one vendor, read from its `DUAL_AUTH_LIVE_<VENDOR>_*` variables.
 *
 * @example
 * ```ts
 * const reading = readLiveTenant('auth0');
 * if (reading.configured) console.log(reading.tenant.issuer, reading.tenant.authMethod);
 * ```
 */
export interface LiveTenant {
  readonly vendor: Vendor;
  readonly label: string;
  readonly mode: DelegationMode;
  readonly authMethod: ClientAuthMethod;
  readonly issuer: string;
  readonly audience: string;
  readonly scope: readonly string[];
  readonly agent: LiveClient;
  readonly rogueAgent: LiveClient;
  readonly approvedHuman: string;
  /** Humans the IdP must refuse (agbac vendors); empty in hybrid mode, where the IdP never sees them. */
  readonly refusedHumans: readonly string[];
  /** The role the agent must hold (Keycloak default `dual-auth-agent`). */
  readonly agentRole: string | undefined;
  /** Auth0: the namespaced claim of the human (default `https://dual-auth.dev/act`). */
  readonly actClaim: string;
}

/**
 * What {@link readLiveTenant} found: a tenant, or why none is configured.
 *
 * @example
 * ```ts
 * const reading: LiveTenantReading = readLiveTenant('okta', {});
 * if (!reading.configured) console.log(reading.reason);
 * ```
 */
export type LiveTenantReading =
  | { readonly configured: true; readonly tenant: LiveTenant }
  | { readonly configured: false; readonly reason: string };

type Environment = Readonly<Record<string, string | undefined>>;

const docs = 'docs/live-tests.md';
const hybridDefaultHuman = 'live-test-human';
const defaultAuth0ActClaim = 'https://dual-auth.dev/act';

function httpsUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${name} must be an https URL.`, { setting: name });
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.search || url.hash)
    throw new ConfigurationError(`${name} must be an https URL without credentials, query or fragment.`, {
      setting: name,
    });
  return value;
}

/**
 * Reads the live tenant of one vendor from `environment` (default `process.env`). No variable of the
 * vendor set: not configured, with the reason the skipped tests show. Some set: every required one
 * must be, and each must be well-formed; otherwise a `ConfigurationError` names the variables at
 * fault (never a value). Unknown `DUAL_AUTH_LIVE_<VENDOR>_*` names are refused too, as typos.
 *
 * @example
 * ```ts
 * const reading = readLiveTenant('keycloak', process.env);
 * // { configured: false, reason: 'live Keycloak tenant not configured (set DUAL_AUTH_LIVE_KEYCLOAK_*, see docs/live-tests.md)' }
 * ```
 * @throws {ConfigurationError} a partial or malformed set of variables.
 */
export function readLiveTenant(vendor: Vendor, environment: Environment = process.env): LiveTenantReading {
  const profile = liveVendorProfiles[vendor];
  const prefix = liveVariablePrefix(vendor);
  const variables = liveTenantVariables(vendor);
  const value = (suffix: string): string | undefined => {
    const raw = environment[`${prefix}${suffix}`]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const given = Object.keys(environment).filter(
    (name) => name.startsWith(prefix) && (environment[name]?.trim() ?? '') !== '',
  );
  if (given.length === 0) {
    return {
      configured: false,
      reason: `live ${profile.label} tenant not configured (set ${prefix}*, see ${docs})`,
    };
  }
  const unknown = given.filter((name) => !variables.some((variable) => variable.name === name));
  const [firstUnknown] = unknown.sort();
  if (firstUnknown !== undefined) {
    throw new ConfigurationError(
      `live ${profile.label} tenant: unknown variable ${unknown.join(', ')} (see ${docs}).`,
      { setting: firstUnknown },
    );
  }
  const authMethod = (value('AUTH_METHOD') ?? profile.authMethods[0]) as ClientAuthMethod;
  if (!profile.authMethods.includes(authMethod)) {
    throw new ConfigurationError(
      `${prefix}AUTH_METHOD must be one of ${profile.authMethods.join(', ')} for ${profile.label}.`,
      { setting: `${prefix}AUTH_METHOD` },
    );
  }
  const missing = variables
    .filter(({ name, required }) => {
      if (environment[name]?.trim()) return false;
      if (required === 'yes') return true;
      if (required === 'with private_key_jwt') return authMethod === 'private_key_jwt';
      if (required === 'unless private_key_jwt') return authMethod !== 'private_key_jwt';
      return false;
    })
    .map(({ name }) => name);
  const [firstMissing] = missing;
  if (firstMissing !== undefined) {
    throw new ConfigurationError(
      `live ${profile.label} tenant partly configured: missing ${missing.join(', ')} (see ${docs}).`,
      { setting: firstMissing },
    );
  }
  const text = (suffix: string): string => value(suffix) ?? '';
  const client = (role: 'AGENT' | 'ROGUE'): LiveClient => {
    const secret = value(`${role}_CLIENT_SECRET`);
    const keyPath = value(`${role}_PRIVATE_KEY_PATH`);
    const keyId = value(`${role}_PRIVATE_KEY_ID`);
    const thumbprint = value(`${role}_CERTIFICATE_THUMBPRINT`);
    if (thumbprint !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(thumbprint)) {
      throw new ConfigurationError(
        `${prefix}${role}_CERTIFICATE_THUMBPRINT must be a base64url SHA-256 thumbprint (43 characters).`,
        { setting: `${prefix}${role}_CERTIFICATE_THUMBPRINT` },
      );
    }
    return {
      clientId: text(`${role}_CLIENT_ID`),
      ...(secret === undefined ? {} : { clientSecret: new Secret(secret) }),
      ...(authMethod === 'private_key_jwt' && keyPath !== undefined ? { privateKeyPath: keyPath } : {}),
      ...(keyId === undefined ? {} : { privateKeyId: keyId }),
      ...(thumbprint === undefined ? {} : { certificateThumbprint: thumbprint }),
    };
  };
  const agent = client('AGENT');
  const rogueAgent = client('ROGUE');
  if (agent.clientId === rogueAgent.clientId) {
    throw new ConfigurationError(
      `${prefix}ROGUE_CLIENT_ID must name another client than ${prefix}AGENT_CLIENT_ID.`,
      { setting: `${prefix}ROGUE_CLIENT_ID` },
    );
  }
  const approvedHuman = value('APPROVED_HUMAN') ?? hybridDefaultHuman;
  const refusedHumans = (value('REFUSED_HUMANS') ?? '')
    .split(',')
    .map((human) => human.trim())
    .filter((human) => human !== '');
  if (refusedHumans.includes(approvedHuman)) {
    throw new ConfigurationError(`${prefix}REFUSED_HUMANS must not list ${prefix}APPROVED_HUMAN.`, {
      setting: `${prefix}REFUSED_HUMANS`,
    });
  }
  const actClaim = value('ACT_CLAIM') ?? defaultAuth0ActClaim;
  if (vendor === 'auth0') httpsUrl(actClaim, `${prefix}ACT_CLAIM`);
  return {
    configured: true,
    tenant: {
      vendor,
      label: profile.label,
      mode: profile.mode,
      authMethod,
      issuer: httpsUrl(text('ISSUER'), `${prefix}ISSUER`),
      audience: text('AUDIENCE'),
      scope: (value('SCOPE') ?? '').split(/\s+/).filter((scope) => scope !== ''),
      agent,
      rogueAgent,
      approvedHuman,
      refusedHumans,
      agentRole: value('AGENT_ROLE') ?? (vendor === 'keycloak' ? 'dual-auth-agent' : undefined),
      actClaim: vendor === 'auth0' ? actClaim : 'act',
    },
  };
}
