import { auth0CredentialsExchangeAction } from '@dual-auth/iam';
import type { Directory } from '../directory.ts';

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

/** The parts of Auth0's `credentials-exchange` event the Action reads. */
export interface CredentialsExchangeEvent {
  readonly request: { readonly body: Readonly<Record<string, unknown>> };
  readonly client: { readonly client_id: string; readonly name: string };
  readonly resource_server: { readonly identifier: string };
  readonly transaction: { readonly requested_scopes: readonly string[] };
}

/** The parts of Auth0's `credentials-exchange` API object the Action uses. */
export interface CredentialsExchangeApi {
  readonly accessToken: { setCustomClaim(name: string, value: unknown): void };
  readonly access: { deny(code: string, reason: string): void };
}

/**
 * An Auth0 credentials-exchange Action, as the embedded Auth0 profile runs it.
 *
 * @example
 * ```ts
 * const action: CredentialsExchangeAction = (event, api) => api.access.deny('invalid_request', 'no');
 * ```
 */
export type CredentialsExchangeAction = (
  event: CredentialsExchangeEvent,
  api: CredentialsExchangeApi,
) => void;

/** Looks a user up in the tenant (in production, through the Management API). */
export type UserLookup = (userId: string) => { readonly email: string; readonly name: string } | undefined;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * The credentials-exchange Action dual-auth ships for Auth0, run from its real source in
 * `@dual-auth/iam` (auth0/credentials-exchange-action.cjs) with the tenant directory in place of
 * the Management API: reads the human (`act`) and the delegation the agent sent in the token
 * request body, validates their shape, checks that the client is an approved agent and that the
 * human exists, holds the human role and approved this agent, and writes them as namespaced claims
 * (Auth0 silently drops `act` itself, a restricted claim). Email and name only when the fixture's
 * `actDisplayClaims` lists them, and then from the tenant, never from the request. Malformed input is denied with `api.access.deny`.
 */
export function createCredentialsExchangeAction(options: {
  readonly claimNamespace: string;
  readonly agentRole: string;
  readonly directory: Directory;
}) {
  const { directory } = options;
  const handler = auth0CredentialsExchangeAction().createCredentialsExchangeHandler({
    claimNamespace: options.claimNamespace,
    humanRole: directory.fixture.humanRole,
    agentRequirement: options.agentRole,
    classifyClient: (event) => {
      const agent = directory.agent(event.client.client_id);
      if (agent?.kind === 'directory-reader') return 'not-applicable';
      return agent?.roles.includes(options.agentRole) ? 'agent' : 'not-agent';
    },
    lookupHuman: (userId) => {
      const human = directory.human(userId);
      return human === undefined
        ? undefined
        : { email: human.email, name: human.name, roles: human.roles, approvedAgents: human.approvedAgents };
    },
    displayClaims: (directory.fixture.actDisplayClaims ?? []).join(','),
  });
  return function onExecuteCredentialsExchange(
    event: CredentialsExchangeEvent,
    api: CredentialsExchangeApi,
  ): void {
    const result = handler(event, api);
    // The directory answers synchronously, so the real Action completes before returning.
    if (isThenable(result)) throw new Error('the dual-auth Action did not complete synchronously');
  };
}

/**
 * Runs an Action against an event, as Auth0 does: collects the custom claims Auth0 keeps (dropping
 * restricted ones silently), and the first denial. A code `api.access.deny` does not accept throws,
 * as an error in the Action.
 */
export function runCredentialsExchangeAction(
  action: (event: CredentialsExchangeEvent, api: CredentialsExchangeApi) => void,
  event: CredentialsExchangeEvent,
):
  | { readonly claims: Record<string, unknown> }
  | { readonly denied: { readonly code: Auth0DenyCode; readonly reason: string } } {
  const claims: Record<string, unknown> = {};
  let denied: { code: Auth0DenyCode; reason: string } | undefined;
  action(event, {
    accessToken: {
      setCustomClaim(name, value) {
        if (auth0KeepsCustomClaim(name)) claims[name] = value;
      },
    },
    access: {
      deny(code, reason) {
        const accepted = auth0DenyCode(code);
        denied ??= { code: accepted, reason: typeof reason === 'string' ? reason : '' };
      },
    },
  });
  return denied === undefined ? { claims } : { denied };
}
