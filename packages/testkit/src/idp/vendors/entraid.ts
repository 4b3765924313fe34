// Microsoft Entra ID's emulation rules, in one place. Each rule names its source; docs/vendor-fidelity.md
// ("Microsoft Entra ID") lists them with what could not be confirmed and the test that pins each.
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { ClientAuthMethod, IdpFixture } from '../types.ts';

type Claims = Record<string, unknown>;

/** An Entra token-endpoint refusal before shaping: the AADSTS number and its text. */
export interface EntraRefusal {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  readonly text: string;
}

function guidOf(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
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
  return guidOf(`entraid:application:${api.identifier}`);
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
  const { iss, iat, exp, scope: _scope, client_id: _clientId, jti, sub: _sub, aud: _aud, ...extra } = payload;
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
 */
export function entraAssertionRefusal(input: {
  readonly header: Claims;
  readonly claims: Claims;
  readonly clientId: string;
  readonly publicJwk: { x5c?: unknown } | undefined;
}): EntraRefusal | undefined {
  const { header, claims } = input;
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
export function entraErrorResponse(refusal: EntraRefusal): {
  status: number;
  body: Record<string, unknown>;
} {
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
