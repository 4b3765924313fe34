import type { ExchangeGrant, VendorRequestParts } from '../client-credentials-adapter.ts';
import {
  CLIENT_ASSERTION_TYPE,
  type ClientAssertionPrivateKey,
  createClientAssertion,
} from '../create-client-assertion.ts';
import type { TokenMode } from '../idp-adapter.ts';
import type { TokenRequestAttempt } from '../post-token-request.ts';
import { Secret } from '../secret.ts';
import { SUBJECT_TOKEN_TYPE_ACCESS_TOKEN, TOKEN_EXCHANGE_GRANT_TYPE } from '../token-exchange.ts';
import type { ResolvedAdapter } from './resolve-client-credentials-adapter.ts';

function basicCredentials(clientId: string, secret: Secret): string {
  // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  const bytes = new TextEncoder().encode(`${encode(clientId)}:${encode(secret.reveal())}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

async function clientAuthentication(
  adapter: ResolvedAdapter,
  assertionClaims: Readonly<Record<string, unknown>> | undefined,
  privateKey: () => Promise<ClientAssertionPrivateKey | undefined>,
): Promise<{ fields: Record<string, string>; headers: Record<string, string> }> {
  const { authMethod, config } = adapter;
  const secret = config.clientSecret ?? new Secret('');
  if (authMethod === 'client_secret_basic') {
    return { fields: {}, headers: { authorization: basicCredentials(config.clientId, secret) } };
  }
  if (authMethod === 'client_secret_post') {
    return { fields: { client_id: config.clientId, client_secret: secret.reveal() }, headers: {} };
  }
  const key = authMethod === 'private_key_jwt' ? await privateKey() : undefined;
  const assertion = await createClientAssertion({
    clientId: config.clientId,
    audience: adapter.assertionAudience,
    key: key === undefined ? { type: 'client_secret', secret } : { type: 'private_key', privateKey: key },
    clock: adapter.clock,
    ...(assertionClaims === undefined ? {} : { claims: assertionClaims }),
  });
  return {
    fields: {
      client_id: config.clientId,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    },
    headers: {},
  };
}

/** RFC 7523 §2.1, the grant Entra ID's on-behalf-of flow uses. */
const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function grantFields(
  mode: TokenMode,
  subjectToken: Secret | undefined,
  exchangeGrant: ExchangeGrant,
): Record<string, string> {
  if (mode !== 'exchange' || subjectToken === undefined) return { grant_type: 'client_credentials' };
  // Entra ID's on-behalf-of request (learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow,
  // "Middle-tier access token request"): the user's token as `assertion`, `requested_token_use`.
  if (exchangeGrant === 'jwt-bearer-on-behalf-of') {
    return {
      grant_type: JWT_BEARER_GRANT_TYPE,
      assertion: subjectToken.reveal(),
      requested_token_use: 'on_behalf_of',
    };
  }
  return {
    grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
    subject_token: subjectToken.reveal(),
    subject_token_type: SUBJECT_TOKEN_TYPE_ACCESS_TOKEN,
  };
}

/**
 * One attempt's body and headers: the grant, the vendor's fields and a fresh client authentication
 * (a new client assertion per attempt, so a retry never replays a `jti`).
 */
export async function tokenRequestAttempt(
  adapter: ResolvedAdapter,
  parts: VendorRequestParts,
  subjectToken: Secret | undefined,
  privateKey: () => Promise<ClientAssertionPrivateKey | undefined>,
): Promise<TokenRequestAttempt> {
  const authentication = await clientAuthentication(adapter, parts.assertionClaims, privateKey);
  const fields = {
    ...grantFields(adapter.mode, subjectToken, adapter.rules.exchangeGrant ?? 'token-exchange'),
    ...parts.fields,
    ...authentication.fields,
  };
  return {
    body: adapter.rules.bodyEncoding === 'json' ? fields : new URLSearchParams(fields),
    headers: authentication.headers,
  };
}
