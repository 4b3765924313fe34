import type { Vendor } from '@dual-auth/core';

/**
 * Claims of a verified token, as the verifier hands them to profiles and policies.
 *
 * @example
 * ```ts
 * const policy: PolicyFunction = ({ claims }: { claims: TokenClaims }) => (claims.org_id === 'acme' ? {} : { agent: { ok: false, reason: 'wrong org' } });
 * ```
 */
export type TokenClaims = Readonly<Record<string, unknown>>;

/**
 * Where one IdP keeps what the verifier needs in an access token: the agent's id, its roles and
 * scopes, and which JOSE `typ` values its access tokens carry. Pass a custom one for another IdP.
 *
 * @example
 * ```ts
 * const pingProfile: VendorProfile = {
 *   name: 'ping',
 *   agentId: (claims) => (typeof claims.client_id === 'string' ? claims.client_id : undefined),
 *   agentRoles: () => [],
 *   agentScopes: (claims) => (typeof claims.scope === 'string' ? claims.scope.split(' ') : []),
 *   tokenTypes: ['', 'jwt', 'at+jwt'],
 * };
 * ```
 */
export interface VendorProfile {
  readonly name: string;
  /** The agent's IAM id (client id) in this vendor's access token. */
  readonly agentId: (claims: TokenClaims) => string | undefined;
  /** The agent's roles; `audiences` are the verifier's, for per-API role maps. */
  readonly agentRoles: (claims: TokenClaims, audiences: readonly string[]) => readonly string[];
  /** The agent's OAuth scopes. */
  readonly agentScopes: (claims: TokenClaims) => readonly string[];
  /**
   * Accepted JOSE `typ` header values of access tokens, lower case without `application/`; `''`
   * accepts a token without `typ`. Act JWTs and act assertions are refused whatever this says.
   */
  readonly tokenTypes: readonly string[];
  /** Turns an actor id from an RFC 8693 `act` claim into the agent's client id. */
  readonly normalizeAgentId?: (id: string) => string;
  /** Returns a reason when the payload is not an access token of this vendor (an ID token, say). */
  readonly rejectPayload?: (claims: TokenClaims) => string | undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

const isString = (item: unknown): item is string => typeof item === 'string';

const noStrings: readonly string[] = Object.freeze([]);

/**
 * The strings of `value` if it is an array: the claim's own array when it holds nothing else (the
 * verifier freezes what it hands out, claims included), so a token's roles cost no copy.
 */
const strings = (value: unknown): readonly string[] =>
  Array.isArray(value) ? (value.every(isString) ? value : value.filter(isString)) : noStrings;

/** The strings of `held` then those of the array `more`, copying only when both have some. */
function withStrings(held: readonly string[], more: unknown): readonly string[] {
  const added = strings(more);
  if (added.length === 0) return held;
  return held.length === 0 ? added : [...held, ...added];
}

/**
 * The non-empty items of a space-separated claim, or the strings of an array claim. Split by hand:
 * `split` is about twice as slow on a string fresh from `JSON.parse`, which V8 does not cache.
 */
const spaceSeparated = (value: unknown): readonly string[] => {
  if (typeof value !== 'string') return strings(value);
  // Counted first, so the list is made at its size: pushing grows it to room for 17.
  let count = 0;
  for (let start = 0; start < value.length; ) {
    const space = value.indexOf(' ', start);
    const end = space === -1 ? value.length : space;
    if (end > start) count++;
    start = end + 1;
  }
  if (count === 0) return noStrings;
  const items = new Array<string>(count);
  let index = 0;
  for (let start = 0; index < count; ) {
    const space = value.indexOf(' ', start);
    const end = space === -1 ? value.length : space;
    if (end > start) items[index++] = value.slice(start, end);
    start = end + 1;
  }
  return items;
};

const record = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

const withoutClientsSuffix = (id: string) => (id.endsWith('@clients') ? id.slice(0, -'@clients'.length) : id);

// Claims only ID tokens carry: refusing them keeps an ID token from passing as an access token
// even where the IdP gives both the same `typ`.
const idTokenOnly = (claims: TokenClaims) =>
  claims.at_hash !== undefined || claims.c_hash !== undefined || claims.nonce !== undefined
    ? 'is an ID token, not an access token'
    : undefined;

const keycloak: VendorProfile = {
  name: 'keycloak',
  agentId: (claims) => text(claims.azp) ?? text(claims.client_id),
  agentRoles: (claims, audiences) => {
    let roles = strings(record(claims.realm_access).roles);
    const perClient = record(claims.resource_access);
    // The verifier's audiences first, then the token's `azp`.
    // Indexed loops on the decision path: for…of made an iterator per call.
    for (let index = 0; index < audiences.length; index++) {
      const client = audiences[index];
      if (client !== undefined && Object.hasOwn(perClient, client))
        roles = withStrings(roles, record(perClient[client]).roles);
    }
    const azp = text(claims.azp);
    if (azp !== undefined && Object.hasOwn(perClient, azp))
      roles = withStrings(roles, record(perClient[azp]).roles);
    return roles;
  },
  agentScopes: (claims) => spaceSeparated(claims.scope),
  tokenTypes: ['jwt', 'at+jwt'],
  // Keycloak marks its token kinds in the payload: `Bearer` (access), `ID`, `Refresh`, `Logout`.
  rejectPayload: (claims) =>
    claims.typ !== undefined && claims.typ !== 'Bearer'
      ? 'is not a Keycloak access token (typ)'
      : idTokenOnly(claims),
};

const auth0: VendorProfile = {
  name: 'auth0',
  agentId: (claims) => {
    const subject = text(claims.sub);
    if (subject?.endsWith('@clients')) return withoutClientsSuffix(subject);
    return text(claims.azp) ?? text(claims.client_id);
  },
  // An M2M token's `permissions` (RBAC with "Add Permissions in the Access Token") and `scope` both
  // hold every scope of the client grant; without that setting only `scope` does.
  agentRoles: (claims) =>
    Array.isArray(claims.permissions)
      ? strings(claims.permissions)
      : claims.gty === 'client-credentials'
        ? spaceSeparated(claims.scope)
        : [],
  agentScopes: (claims) => spaceSeparated(claims.scope),
  tokenTypes: ['jwt', 'at+jwt'],
  normalizeAgentId: withoutClientsSuffix,
  rejectPayload: idTokenOnly,
};

/**
 * Options of {@link oktaVendorProfile}.
 *
 * @example
 * ```ts
 * const options: OktaVendorProfileOptions = { rolesClaim: 'agent_roles' };
 * ```
 */
export interface OktaVendorProfileOptions {
  /**
   * A custom claim of the authorization server that also holds agent roles (an array of strings or
   * a space-separated string), e.g. `agent_roles` with the expression `app.profile.agent_roles`.
   */
  readonly rolesClaim?: string;
}

/**
 * The Okta profile: the agent is `cid`; its scopes are `scp`; its roles are the `scp` values (the
 * custom scopes an access-policy rule granted the client) followed by those of `rolesClaim`, when
 * given. Never `groups`: a client-credentials token has no user, and Okta's groups claims list a
 * user's groups, so real agent tokens carry none.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ ...options, vendor: oktaVendorProfile({ rolesClaim: 'agent_roles' }) });
 * ```
 * @throws {TypeError} when `rolesClaim` is given but is not a non-empty string.
 */
export function oktaVendorProfile(options: OktaVendorProfileOptions = {}): VendorProfile {
  const { rolesClaim } = options;
  if (rolesClaim !== undefined && (typeof rolesClaim !== 'string' || rolesClaim.trim() === '')) {
    throw new TypeError('options.rolesClaim must be a non-empty claim name');
  }
  return {
    name: 'okta',
    agentId: (claims) => text(claims.cid),
    agentRoles:
      rolesClaim === undefined
        ? (claims) => spaceSeparated(claims.scp)
        : (claims) => [...spaceSeparated(claims.scp), ...spaceSeparated(claims[rolesClaim])],
    agentScopes: (claims) => spaceSeparated(claims.scp),
    tokenTypes: ['', 'jwt', 'at+jwt'],
    rejectPayload: idTokenOnly,
  };
}

const okta = oktaVendorProfile();

// Entra ID v2.0 app-only tokens (learn.microsoft.com/entra/identity-platform/access-token-claims-reference):
// the client in azp (v1: appid), its app roles in roles, no scp. Their aud is the API's Application
// (client) ID, never the Application ID URI of the scope, so that is the `audience` to configure.
// idtyp is an optional claim (optional-claims-reference): checked only when the API asked for it.
const entraid: VendorProfile = {
  name: 'entraid',
  agentId: (claims) => text(claims.azp) ?? text(claims.appid),
  // In a delegated (on-behalf-of) token, the one with `scp`, `roles` are the user's roles on the API
  // ("For user tokens, … the assigned roles of the user on the target application"), never the agent's.
  agentRoles: (claims) => (typeof claims.scp === 'string' ? [] : strings(claims.roles)),
  agentScopes: (claims) => spaceSeparated(claims.scp),
  tokenTypes: ['jwt'],
  rejectPayload: (claims) =>
    claims.idtyp !== undefined && claims.idtyp !== 'app' && claims.idtyp !== 'user'
      ? 'is not an Entra ID access token (idtyp)'
      : idTokenOnly(claims),
};

/**
 * The built-in {@link VendorProfile}s, from `VENDORS.md`: Keycloak (`azp`, `realm_access` /
 * `resource_access` roles, `scope`), Auth0 (`sub` without `@clients` or `azp`; roles from
 * `permissions`, or from `scope` in a client-credentials token without it; `scope`), Okta (`cid`, roles and scopes from `scp`; {@link oktaVendorProfile} adds a custom
 * roles claim) and Entra ID (`azp` or v1 `appid`, `roles`, `scp`).
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ ...options, vendor: vendorProfiles.okta });
 * ```
 */
export const vendorProfiles: Readonly<Record<Vendor, VendorProfile>> = Object.freeze({
  keycloak,
  auth0,
  okta,
  entraid,
});
