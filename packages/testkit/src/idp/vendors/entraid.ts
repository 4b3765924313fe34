// Microsoft Entra ID's emulation rules, in one place. Each rule names its source; docs/vendor-fidelity.md
// ("Microsoft Entra ID") lists them with what could not be confirmed and the test that pins each.
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { splitAccessTokenClaims } from '../split-access-token-claims.ts';
import { stableGuid } from '../stable-guid.ts';
import type { ShapedResponse } from '../token-refusal.ts';
import type { ClientAuthMethod, IdpFixture } from '../types.ts';
import type { VendorEmulation } from '../vendor-emulation.ts';
import { entraDirectGrant, entraOnBehalfOf } from './entraid-on-behalf-of.ts';

type Claims = Record<string, unknown>;

/** An Entra token-endpoint refusal before shaping: the AADSTS number and its text. */
export interface EntraRefusal {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  readonly text: string;
}

/**
 * The Application (client) ID of the API's app registration, a GUID, derived from its Application
 * ID URI (`fixture.api.identifier`) so that a fixture names one API and gets both values. In v2.0
 * access tokens `aud` is always this client id, never the URI requested in `scope`: "In v2.0
 * tokens, this value is always the client ID of the API"
 * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference, `aud`).
 *
 * @example
 * ```ts
 * entraApiApplicationId(defaultIdpFixture().api); // a GUID, the aud of the Entra profile's tokens
 * ```
 */
export function entraApiApplicationId(api: IdpFixture['api']): string {
  return stableGuid(`entraid:application:${api.identifier}`);
}

/**
 * The resource of a client-credentials `scope`: exactly one `{Application ID URI}/.default`, else
 * `undefined` (Entra answers AADSTS1002012; v2-oauth2-client-creds-grant-flow, `scope`).
 */
export function entraResourceOfScopes(scopes: readonly string[]): string | undefined {
  const [scope] = scopes;
  if (scopes.length !== 1 || scope === undefined || !scope.endsWith('/.default')) return undefined;
  return scope.slice(0, -'/.default'.length);
}

/** The AADSTS1002012 text for a scope that is not `{resource}/.default`. */
export function entraScopeRefusalText(scopes: readonly string[]): string {
  return `The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`;
}

/**
 * `azpacr`, how the client authenticated: `0` public client, `1` client id and secret, `2` client
 * certificate (access-token-claims-reference, `azpacr`). A `private_key_jwt` assertion at Entra is
 * a certificate credential (certificate-credentials page), hence `2`.
 */
export function entraAzpacr(method: ClientAuthMethod | undefined): '0' | '1' | '2' {
  if (method === undefined) return '0';
  return method === 'private_key_jwt' ? '2' : '1';
}

/**
 * The payload of an app-only v2.0 access token as Entra lays it out (access-token-claims-reference):
 * `aud` the API's client id, `azp` the client, `azpacr`, `oid` = `sub` (the service principal),
 * `roles`, `tid`, `uti`, `ver: "2.0"`, no `scp` and no `scope`. `idtyp` is an optional claim the
 * API's registration must ask for (optional-claims-reference, `idtyp`): the emulated API has not,
 * so it is absent, and nothing of ours may depend on it.
 */
export function entraAccessTokenPayload(
  input: {
    readonly clientId: string;
    readonly roles: readonly string[];
    readonly objectId: string;
    readonly audience: string;
    readonly tenantId: string;
    readonly authMethod: ClientAuthMethod | undefined;
  },
  payload: Claims,
): Claims {
  const { iss, iat, exp, jti, extra } = splitAccessTokenClaims(payload);
  return {
    aud: input.audience,
    iss,
    iat,
    nbf: iat,
    exp,
    aio: 'E2dgYPj',
    azp: input.clientId,
    azpacr: entraAzpacr(input.authMethod),
    oid: input.objectId,
    rh: '0.AAAA',
    roles: [...input.roles],
    sub: input.objectId,
    tid: input.tenantId,
    uti: String(jti ?? randomUUID()).slice(0, 22),
    ver: '2.0',
    ...extra,
  };
}

/** base64url SHA-256 (`x5t#S256`) and SHA-1 (`x5t`) thumbprints of a registered certificate's DER. */
function thumbprints(der: Buffer): { readonly sha256: string; readonly sha1: string } {
  return {
    sha256: createHash('sha256').update(der).digest('base64url'),
    sha1: createHash('sha1').update(der).digest('base64url'),
  };
}

/** The certificates registered for a client: the `x5c` of its public JWK (none: no certificate). */
function registeredCertificates(publicJwk: { x5c?: unknown } | undefined): Buffer[] {
  const chain = publicJwk?.x5c;
  if (!Array.isArray(chain) || typeof chain[0] !== 'string') return [];
  const der = Buffer.from(chain[0], 'base64');
  // A fixture whose x5c is not a certificate registers none, as Entra would refuse to store it.
  try {
    new X509Certificate(der);
  } catch {
    return [];
  }
  return [der];
}

// Certificate credentials are RSA: PS256 (current page) or RS256 (its earlier versions, MSAL).
const entraAssertionAlgorithms: readonly string[] = ['PS256', 'RS256'];

function hexThumbprint(value: string): string {
  return Buffer.from(value, 'base64url').toString('hex').toUpperCase();
}

/**
 * Entra's rules for a client assertion whose signature oidc-provider has verified (the aud rule is
 * the shared `token-url` one):
 * - the JOSE header carries `x5t#S256` (or the legacy SHA-1 `x5t`), which Entra uses to find the
 *   registered certificate (certificate-credentials page, Header). None: AADSTS50027 "No certificate
 *   thumbprint specified in token header" (the wording MSAL.NET issue #124 shows).
 * - a thumbprint that matches no registered certificate: 401 `invalid_client` AADSTS700027 "The
 *   certificate with identifier used to sign the client assertion is not registered on application.
 *   [Reason - The key was not found., Thumbprint of key used by client: '…' …]" (as
 *   AzureAD/microsoft-authentication-library-for-js issue #8339 quotes it).
 * - `exp` is required; Entra "doesn't place restrictions on the exp time currently" and MSAL Node
 *   sends no `iat` (ClientAssertion.ts: `nbf`, `exp` = now + 600), so no lifetime cap and no `iat`.
 * - the assertion is signed with the certificate's RSA key: `alg` "Should be PS256" (RS256 on the
 *   page's earlier versions and in MSAL's PKCS#1 path); another algorithm (an EC key): 400
 *   `invalid_request` AADSTS5002730 "Invalid JWT token. Unsupported key for the signing algorithm."
 *   (the wording AzureAD/microsoft-authentication-library-for-dotnet issue #4712 shows).
 */
export function entraAssertionRefusal(input: {
  readonly header: Claims;
  readonly claims: Claims;
  readonly clientId: string;
  readonly publicJwk: { x5c?: unknown } | undefined;
}): EntraRefusal | undefined {
  const { header, claims } = input;
  if (!entraAssertionAlgorithms.includes(String(header.alg))) {
    return {
      status: 400,
      error: 'invalid_request',
      code: 5002730,
      text: 'Invalid JWT token. Unsupported key for the signing algorithm.',
    };
  }
  if (typeof claims.exp !== 'number') {
    return {
      status: 401,
      error: 'invalid_client',
      code: 700024,
      text: 'Client assertion is not within its valid time range.',
    };
  }
  const sha256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const sha1 = typeof header.x5t === 'string' ? header.x5t : undefined;
  if (sha256 === undefined && sha1 === undefined) {
    return {
      status: 401,
      error: 'invalid_client',
      code: 50027,
      text: 'Invalid JWT token. No certificate thumbprint specified in token header.',
    };
  }
  const found = registeredCertificates(input.publicJwk)
    .map(thumbprints)
    .some((registered) => (sha256 === undefined ? registered.sha1 === sha1 : registered.sha256 === sha256));
  if (found) return undefined;
  return {
    status: 401,
    error: 'invalid_client',
    code: 700027,
    text: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${hexThumbprint(sha256 ?? sha1 ?? '')}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${input.clientId}'.]`,
  };
}

/**
 * An Entra error body: `error`, `error_description` "AADSTSnnnn: … Trace ID: … Correlation ID: …
 * Timestamp: …", `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`
 * (v2-oauth2-client-creds-grant-flow, "Error response"; `error_uri` as login.microsoftonline.com
 * answers).
 */
export function entraErrorResponse(refusal: EntraRefusal): ShapedResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status: refusal.status,
    body: {
      error: refusal.error,
      error_description: `AADSTS${refusal.code}: ${refusal.text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [refusal.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${refusal.code}`,
    },
  };
}

/**
 * Entra ID's `sub` for a signed-in human: pairwise, a per-application identifier (here a base64url
 * SHA-256 of tenant, application and object id, as long as Entra's), while `oid` is the user's
 * object id.
 */
export function entraPairwiseSubject(tenantId: string, clientId: string, objectId: string): string {
  return createHash('sha256').update(`${tenantId}:${clientId}:${objectId}`).digest('base64url');
}

function entraError(status: number, error: string, code: number, text: string): ShapedResponse {
  return entraErrorResponse({ status, error, code, text });
}

/**
 * The Entra ID profile: a tenant's v2.0 endpoints at `/{tenant}`, app-only tokens for an API whose
 * app roles the agents are assigned.
 *
 * @example
 * ```ts
 * entraidEmulation.requestScopes(defaultIdpFixture()); // ['https://api.dual-auth.test/finance/.default']
 * ```
 */
export const entraidEmulation: VendorEmulation = {
  vendor: 'entraid',
  spec: {
    mount: (fixture) => `/${fixture.entraTenantId}`,
    issuer: (baseUrl, fixture) => `${baseUrl}/${fixture.entraTenantId}/v2.0`,
    routes: { token: '/oauth2/v2.0/token', jwks: '/discovery/v2.0/keys' },
    loginRoutes: { authorization: '/oauth2/v2.0/authorize', userinfo: '/oidc/userinfo' },
    discoveryPath: (fixture) => `/${fixture.entraTenantId}/v2.0/.well-known/openid-configuration`,
    authMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    assertionAudience: 'token-url',
    clockToleranceSeconds: 30,
    accessTokenTtlSeconds: 3599,
    directoryPath: () => '/graph/v1.0',
  },
  userId: (fixtureId) => stableGuid(`entraid:user:${fixtureId}`),
  // v2.0 tokens carry the API's client id, not the Application ID URI of the scope.
  audience: (fixture) => entraApiApplicationId(fixture.api),
  requestScopes: (fixture) => [`${fixture.api.identifier}/.default`],
  resource: ({ scopes }) =>
    entraResourceOfScopes(scopes) ?? { kind: 'invalid_scope', description: entraScopeRefusalText(scopes) },
  unknownResourceText: (resource, fixture) =>
    `The resource principal named ${resource} was not found in the tenant named ${fixture.entraTenantId}.`,
  assertionFailure({ header, claims, clientId, agent }) {
    const refusal = entraAssertionRefusal({ header, claims, clientId, publicJwk: agent?.publicJwk });
    return refusal === undefined
      ? undefined
      : { kind: 'bad_client_assertion', description: refusal.text, answer: entraErrorResponse(refusal) };
  },
  scopeRefusal: () => undefined,
  preApproval: ({ directory }) =>
    function entraAppRoleAssignment({ agent }) {
      const { fixture } = directory;
      if (agent.roles.includes(fixture.agentRole)) return { claims: undefined };
      return {
        refusal: {
          kind: 'agent_not_approved',
          description: `Application '${agent.clientId}' is not assigned to a role for the application '${fixture.api.identifier}'.`,
        },
      };
    },
  shapeAccessToken: ({ agent, audience, fixture, authMethod }, header, payload) => ({
    header: { ...header, typ: 'JWT' },
    payload: entraAccessTokenPayload(
      {
        clientId: agent.clientId,
        roles: agent.roles,
        objectId: stableGuid(`entraid:service-account:${agent.clientId}`),
        audience,
        tenantId: fixture.entraTenantId,
        authMethod,
      },
      payload,
    ),
  }),
  tokenResponse: ({ access_token, expires_in }) => ({
    token_type: 'Bearer',
    expires_in,
    ext_expires_in: expires_in,
    access_token,
  }),
  refusalResponse(refusal, { clientId, fixture }) {
    const { kind, description } = refusal;
    switch (kind) {
      case 'unknown_client':
        return entraError(
          400,
          'unauthorized_client',
          700016,
          `Application with identifier '${clientId ?? ''}' was not found in the directory '${fixture.entraTenantId}'.`,
        );
      case 'bad_client_secret':
        return entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
      case 'bad_client_assertion':
      case 'unsupported_auth_method':
        return entraError(
          401,
          'invalid_client',
          700027,
          `Client assertion failed signature validation. ${description}`,
        );
      case 'agent_not_approved':
      case 'human_not_approved':
        return entraError(400, 'invalid_grant', 501051, description);
      case 'invalid_scope':
        return entraError(400, 'invalid_scope', 1002012, description);
      case 'invalid_target':
        return entraError(400, 'invalid_resource', 500011, description);
      default:
        return entraError(refusal.status ?? 400, refusal.error ?? 'invalid_request', 900144, description);
    }
  },
  // `Retry-After` in seconds for client credentials (MSAL.NET "Client and server throttling"), no
  // rate-limit headers, body "Too Many Requests" (as MSAL's maintainers quote it).
  rateLimitResponse: (waitSeconds) => ({
    status: 429,
    headers: { 'content-type': 'text/plain', 'Retry-After': String(waitSeconds) },
    body: 'Too Many Requests',
  }),
  humanClaims: ({ fixture }, human) => ({
    // Made pairwise by oidc-provider (the client's subject_type), see entraPairwiseSubject.
    sub: human.id,
    oid: human.id,
    tid: fixture.entraTenantId,
    preferred_username: human.email,
    email: human.email,
    name: human.name,
  }),
  pairwiseSubject: (fixture, clientId, accountId) =>
    entraPairwiseSubject(fixture.entraTenantId, clientId, accountId),
  // The human's token for the agent app (resource-owner password grant) and the agent's
  // on-behalf-of request: vendors/entraid-on-behalf-of.ts, which imports this file, hence getters
  // (read once both modules are evaluated, whichever was imported first).
  get directGrant() {
    return entraDirectGrant;
  },
  get tokenExchange() {
    return entraOnBehalfOf;
  },
  directoryRoutes: [
    {
      // GET /graph/v1.0/users/{id}/appRoleAssignments (Microsoft Graph).
      pattern: /^\/users\/([^/]+)\/appRoleAssignments$/,
      body: ({ fixture }, human) => ({
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/appRoleAssignments',
        value: human.roles.map((name) => ({
          id: stableGuid(`entraid:assignment:${human.id}:${name}`),
          appRoleId: stableGuid(`app-role:${name}`),
          createdDateTime: '2026-01-01T00:00:00Z',
          principalDisplayName: human.name,
          principalId: human.id,
          principalType: 'User',
          resourceDisplayName: 'dual-auth finance API',
          resourceId: stableGuid(`resource:${fixture.api.identifier}`),
        })),
      }),
    },
  ],
};
