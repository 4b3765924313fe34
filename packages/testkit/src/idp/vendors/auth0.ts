/**
 * Auth0's rules, as the embedded Auth0 profile emulates them. Each names its source; what could
 * not be confirmed is said in docs/vendor-fidelity.md ("Auth0"), beside the test that pins it.
 */
import type { AgentFixture } from '../types.ts';

/**
 * Claims an Action cannot set: Auth0 ignores them silently ("In case of collisions, the transaction
 * won't fail, but your custom claim won't be added to your tokens"). The list is Auth0's, verbatim:
 * https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims ("General restrictions"; also
 * served at https://auth0.com/docs/tokens/create-namespaced-custom-claims).
 * `scope` is not on it: the credentials-exchange trigger changes scopes through `api.transaction`,
 * not claims.
 *
 * @example
 * ```ts
 * if (auth0RestrictedClaims.has('act')) console.log('Auth0 drops act: use a namespaced claim');
 * ```
 */
export const auth0RestrictedClaims: ReadonlySet<string> = new Set([
  'acr',
  'act',
  'active',
  'amr',
  'at_hash',
  'ath',
  'attest',
  'aud',
  'auth_time',
  'authorization_details',
  'azp',
  'c_hash',
  'client_id',
  'cnf',
  'cty',
  'dest',
  'entitlements',
  'events',
  'exp',
  'groups',
  'gty',
  'htm',
  'htu',
  'iat',
  'internalService',
  'iss',
  'jcard',
  'jku',
  'jti',
  'jwe',
  'jwk',
  'kid',
  'may_act',
  'mky',
  'nbf',
  'nonce',
  'object_id',
  'org_id',
  'org_name',
  'orig',
  'origid',
  'permissions',
  'roles',
  'rph',
  's_hash',
  'sid',
  'sip_callid',
  'sip_cseq_num',
  'sip_date',
  'sip_from_tag',
  'sip_via_branch',
  'sub',
  'sub_jwk',
  'toe',
  'txn',
  'typ',
  'uuid',
  'vot',
  'vtm',
  'x5t#S256',
]);

// "Auth0 domains cannot be used as namespace identifiers: auth0.com, webtask.io, webtask.run"
// (https://auth0.com/docs/tokens/create-namespaced-custom-claims).
const reservedNamespaceHosts = /(^|\.)(auth0\.com|webtask\.io|webtask\.run)$/i;

/**
 * Whether Auth0 keeps a custom claim an Action sets on an access token for a custom API: not a
 * restricted claim, and, when it is a namespaced (URL) claim, not in an Auth0 domain's namespace.
 * Non-namespaced claims are allowed on custom APIs' access tokens since 28 July 2022
 * (https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/custom-claims-migration).
 *
 * @example
 * ```ts
 * auth0KeepsCustomClaim('https://dual-auth.dev/act'); // true
 * auth0KeepsCustomClaim('act'); // false
 * ```
 */
export function auth0KeepsCustomClaim(name: string): boolean {
  if (auth0RestrictedClaims.has(name)) return false;
  if (!/^https?:\/\//i.test(name)) return true;
  try {
    return !reservedNamespaceHosts.test(new URL(name).hostname);
  } catch {
    return true;
  }
}

/**
 * The codes `api.access.deny(code, reason)` accepts on the credentials-exchange trigger ("Allowed
 * values: invalid_scope, invalid_request, server_error"):
 * https://auth0.com/docs/customize/actions/explore-triggers/machine-to-machine-trigger/credentials-exchange-api-object
 *
 * @example
 * ```ts
 * const code: Auth0DenyCode = 'invalid_request';
 * ```
 */
export type Auth0DenyCode = 'invalid_scope' | 'invalid_request' | 'server_error';

const denyStatus: Readonly<Record<Auth0DenyCode, number>> = {
  invalid_scope: 400,
  invalid_request: 400,
  server_error: 500,
};

/**
 * Checks a code given to `api.access.deny`, as Auth0's runtime does: another code is an error in
 * the Action, not a denial with that code.
 *
 * @example
 * ```ts
 * const code = auth0DenyCode('invalid_request');
 * ```
 * @throws {TypeError} for a code Auth0 does not accept on this trigger.
 */
export function auth0DenyCode(code: unknown): Auth0DenyCode {
  if (typeof code === 'string' && Object.hasOwn(denyStatus, code)) return code as Auth0DenyCode;
  throw new TypeError(
    `api.access.deny: code must be one of ${Object.keys(denyStatus).join(', ')} on the credentials-exchange trigger (got ${typeof code === 'string' ? JSON.stringify(code.slice(0, 40)) : typeof code})`,
  );
}

/**
 * The token endpoint's answer to an Action's denial: the code as `error`, the reason as
 * `error_description`; HTTP 400 for `invalid_scope` and `invalid_request`, 500 for `server_error`.
 * Source: the credentials-exchange Hook's documented responses ("To return an HTTP 400 with
 * { "error": "invalid_scope", … }", "HTTP 500 with { "error": "server_error", … }"), whose three
 * codes the Action trigger kept:
 * https://auth0.com/docs/hooks/extensibility-points/client-credentials-exchange
 *
 * @example
 * ```ts
 * const { status, body } = auth0DenialResponse({ code: 'invalid_request', reason: 'no' }); // 400
 * ```
 */
export function auth0DenialResponse(denial: { readonly code: Auth0DenyCode; readonly reason: string }): {
  readonly status: number;
  readonly body: { readonly error: Auth0DenyCode; readonly error_description: string };
} {
  return { status: denyStatus[denial.code], body: { error: denial.code, error_description: denial.reason } };
}

/**
 * The scopes of an agent's client grant for the API. The fixture's agent roles are its Auth0
 * permissions (`AgentFixture.roles`): the emulated API defines them beside its scopes, and each
 * agent's grant holds the API's scopes and the agent's roles.
 *
 * @example
 * ```ts
 * auth0ClientGrantScopes(['finance.read'], agent); // ['finance.read', 'FinanceAgent']
 * ```
 */
export function auth0ClientGrantScopes(
  apiScopes: readonly string[],
  agent: Pick<AgentFixture, 'roles'>,
): readonly string[] {
  return [...new Set([...apiScopes, ...agent.roles])];
}

/**
 * Why Auth0 refuses the requested scopes, or `undefined`: a scope outside the client grant is
 * refused (403 `access_denied`, "Client has not been granted scopes: …", as Auth0 tenants answer;
 * seen in Auth0's own example logs, not on a documentation page).
 *
 * @example
 * ```ts
 * auth0ScopeRefusal(['payroll.admin'], ['finance.read']); // 'Client has not been granted scopes: payroll.admin'
 * ```
 */
export function auth0ScopeRefusal(
  requested: readonly string[],
  granted: readonly string[],
): string | undefined {
  const missing = requested.filter((scope) => !granted.includes(scope));
  return missing.length === 0 ? undefined : `Client has not been granted scopes: ${missing.join(' ')}`;
}

/**
 * The claims of an Auth0 client-credentials access token (`access_token_authz` dialect: RBAC with
 * "Add Permissions in the Access Token"). `scope` holds every scope of the client grant whatever was
 * requested ("the scopes returned will always be the full set of authorized scopes for the M2M
 * app. This is true even if a subset of the available scopes were requested":
 * https://support.auth0.com/center/s/article/Fetching-an-M2M-token-returns-all-granted-scopes-permissions-instead-of-requested-scopes),
 * and `permissions` the same set as an array
 * (https://auth0.com/docs/get-started/apis/enable-role-based-access-control-for-apis).
 * `sub` is `{client_id}@clients`, `gty` `client-credentials`, `azp` the client id.
 *
 * @example
 * ```ts
 * const payload = auth0AccessTokenClaims({ issuer, clientId: 'agent', audience, grantScopes, iat, exp, extra: {} });
 * ```
 */
export function auth0AccessTokenClaims(token: {
  readonly issuer: unknown;
  readonly clientId: string;
  readonly audience: string;
  readonly grantScopes: readonly string[];
  readonly iat: unknown;
  readonly exp: unknown;
  readonly extra: Readonly<Record<string, unknown>>;
}): Record<string, unknown> {
  return {
    iss: token.issuer,
    sub: `${token.clientId}@clients`,
    aud: token.audience,
    iat: token.iat,
    exp: token.exp,
    ...(token.grantScopes.length > 0 ? { scope: token.grantScopes.join(' ') } : {}),
    gty: 'client-credentials',
    azp: token.clientId,
    permissions: [...token.grantScopes],
    ...token.extra,
  };
}

function accessTokenScope(accessToken: unknown): string | undefined {
  if (typeof accessToken !== 'string') return undefined;
  try {
    const payload = JSON.parse(
      Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as {
      scope?: unknown;
    };
    return typeof payload.scope === 'string' ? payload.scope : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Auth0's successful token response: `access_token`, `scope` (the token's, so every granted scope),
 * `expires_in`, `token_type` Bearer.
 *
 * @example
 * ```ts
 * ctx.body = auth0TokenResponse(ctx.body);
 * ```
 */
export function auth0TokenResponse(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const scope = accessTokenScope(body.access_token);
  return {
    access_token: body.access_token,
    ...(scope === undefined ? {} : { scope }),
    expires_in: body.expires_in,
    token_type: 'Bearer',
  };
}

/** The client-assertion rules of "Authenticate with Private Key JWT" (see below), in seconds. */
const assertionRules = { maximumLifetime: 300, clockSkew: 10 } as const;

/**
 * Why Auth0 refuses a `private_key_jwt` assertion's times, or `undefined`: `exp` is required, `iat`
 * and `nbf` optional ("A clock skew of up to 10 seconds is allowed for iat and nbf"), and "Auth0
 * supports a maximum of 5 minutes for the lifetime of a token" (counted from `iat`, or from now
 * without one):
 * https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt
 *
 * @example
 * ```ts
 * auth0AssertionTimingFailure({ exp: now + 600 }, now); // 'client_assertion lifetime must not exceed 300 seconds'
 * ```
 */
export function auth0AssertionTimingFailure(
  claims: Readonly<Record<string, unknown>>,
  nowSeconds: number,
): string | undefined {
  const { exp, iat, nbf } = claims;
  if (typeof exp !== 'number') return 'exp must be provided in the client_assertion JWT';
  if (iat !== undefined && typeof iat !== 'number') return 'iat must be a number';
  if (nbf !== undefined && typeof nbf !== 'number') return 'nbf must be a number';
  if (typeof iat === 'number' && iat > nowSeconds + assertionRules.clockSkew)
    return 'iat must not be in the future';
  if (typeof nbf === 'number' && nbf > nowSeconds + assertionRules.clockSkew)
    return 'the client_assertion is not yet valid (nbf)';
  if (exp - (typeof iat === 'number' ? iat : nowSeconds) > assertionRules.maximumLifetime)
    return `client_assertion lifetime must not exceed ${assertionRules.maximumLifetime} seconds`;
  return undefined;
}
