// Token minting for the verifier's tests: real keys, real signatures, and each vendor's claim layout
// from VENDORS.md. Tokens are signed with node:crypto directly so that tests can also build what no
// library would sign (alg none, HS256 with the RSA key, duplicate keys, crit, jku…).
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  constants as nodeConstants,
  sign,
} from 'node:crypto';
import { ACT_ASSERTION_TYPE, AGBAC_VERSION } from '@dual-auth/core';

export const NOW_MS = Date.parse('2026-11-23T12:00:00Z');
export const NOW = NOW_MS / 1000;

export interface TestKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicJwk: JsonWebKey & { kid: string };
}

const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  format: 'pem',
  type: 'pkcs8',
});

/** A key pair for `alg`; RSA keys share one generated modulus per process to keep tests fast. */
export function testKey(alg: 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA', kid: string): TestKey {
  const privateKey =
    alg === 'RS256' || alg === 'PS256'
      ? createPrivateKey(rsaPem)
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
        : alg === 'ES384'
          ? generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey
          : generateKeyPairSync('ed25519').privateKey;
  const publicKey = createPublicKey(privateKey);
  return { kid, alg, privateKey, publicKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid } };
}

/** A fresh RSA key (its own modulus), for rotation tests. */
export function freshRsaKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    alg: 'RS256',
    privateKey,
    publicKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid },
  };
}

export const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** Signs raw header and payload JSON texts with `key` (as `alg`, whatever the key). */
export function signRaw(headerJson: string, payloadJson: string, key: TestKey, alg = key.alg): string {
  const input = `${b64(headerJson)}.${b64(payloadJson)}`;
  const data = Buffer.from(input);
  let signature: Buffer;
  switch (alg) {
    case 'RS256':
      signature = sign('sha256', data, key.privateKey);
      break;
    case 'PS256':
      signature = sign('sha256', data, {
        key: key.privateKey,
        padding: nodeConstants.RSA_PKCS1_PSS_PADDING,
        saltLength: nodeConstants.RSA_PSS_SALTLEN_DIGEST,
      });
      break;
    case 'ES256':
      signature = sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
      break;
    case 'ES384':
      signature = sign('sha384', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
      break;
    case 'EdDSA':
      signature = sign(null, data, key.privateKey);
      break;
    case 'HS256':
      // Key confusion: the RSA public key (PEM) used as an HMAC secret.
      signature = createHmac('sha256', key.publicKey.export({ format: 'pem', type: 'spki' }))
        .update(data)
        .digest();
      break;
    default:
      return `${input}.`;
  }
  return `${input}.${signature.toString('base64url')}`;
}

/** Signs a JWT with `key`: header `{alg, kid, typ}` plus `headerExtra`. */
export function mint(
  key: TestKey,
  payload: Record<string, unknown>,
  headerExtra: Record<string, unknown> = {},
): string {
  const header = { alg: key.alg, kid: key.kid, typ: 'JWT', ...headerExtra };
  for (const [name, value] of Object.entries(header))
    if (value === undefined) delete (header as Record<string, unknown>)[name];
  return signRaw(JSON.stringify(header), JSON.stringify(payload), key, String(header.alg));
}

export const AGENT = 'finance-agent';
export const HUMAN = 'f1d2c3b4-0000-4000-8000-00000000a11c';
export const HUMAN_EMAIL = 'alice.canary@example.com';
export const HUMAN_NAME = 'Alice Canary-Name';

export const human = { sub: HUMAN, email: HUMAN_EMAIL, name: HUMAN_NAME };
export const delegation = {
  method: 'explicit',
  granted_at: NOW - 60,
  intent_summary: 'Summarise Q4 finance report',
};

/** One vendor's issuer, audience and claim layout (VENDORS.md). */
export interface VendorShape {
  readonly vendor: 'keycloak' | 'auth0' | 'okta' | 'entraid';
  readonly issuer: string;
  readonly audience: string;
  readonly typ: string | undefined;
  /** Base claims of an agent token; `authorized` decides whether the agent holds the tested grant. */
  agentClaims(authorized: boolean): Record<string, unknown>;
  /** The requirement the agent must meet on the tested route. */
  readonly agentRequirement: { agentRoles?: string[]; agentScopes?: string[] };
  /** Where the human goes in the AGBAC layout. */
  readonly humanClaim: string;
}

const times = () => ({ iat: NOW - 10, nbf: NOW - 10, exp: NOW + 290 });

export const vendorShapes: readonly VendorShape[] = [
  {
    vendor: 'keycloak',
    issuer: 'https://127.0.0.1:8443/realms/acme',
    audience: 'finance-api',
    typ: 'JWT',
    agentRequirement: { agentRoles: ['finance.read'] },
    humanClaim: 'act',
    agentClaims: (authorized) => ({
      ...times(),
      jti: 'kc-1',
      iss: 'https://127.0.0.1:8443/realms/acme',
      aud: ['finance-api', 'account'],
      sub: '6c0a9f1e-service-account-uuid',
      typ: 'Bearer',
      azp: AGENT,
      preferred_username: `service-account-${AGENT}`,
      client_id: AGENT,
      clientHost: '127.0.0.1',
      clientAddress: '127.0.0.1',
      realm_access: { roles: authorized ? ['finance.read', 'offline_access'] : ['offline_access'] },
      resource_access: { account: { roles: ['view-profile'] } },
      scope: 'profile email',
    }),
  },
  {
    vendor: 'auth0',
    issuer: 'https://acme.eu.auth0.com/',
    audience: 'https://api.acme.example/finance',
    typ: 'at+jwt',
    agentRequirement: { agentRoles: ['read:reports'] },
    humanClaim: 'https://dual-auth.dev/act',
    agentClaims: (authorized) => ({
      ...times(),
      iss: 'https://acme.eu.auth0.com/',
      sub: `${AGENT}@clients`,
      aud: 'https://api.acme.example/finance',
      gty: 'client-credentials',
      azp: AGENT,
      client_id: AGENT,
      jti: 'a0-1',
      scope: authorized ? 'read:reports' : 'read:other',
      permissions: authorized ? ['read:reports'] : ['read:other'],
    }),
  },
  {
    vendor: 'okta',
    issuer: 'https://acme.okta.com/oauth2/default',
    audience: 'api://default',
    typ: undefined,
    agentRequirement: { agentScopes: ['finance.read'] },
    humanClaim: 'act',
    agentClaims: (authorized) => ({
      ...times(),
      ver: 1,
      jti: 'AT.okta-1',
      iss: 'https://acme.okta.com/oauth2/default',
      aud: 'api://default',
      cid: '0oa-finance-agent',
      scp: authorized ? ['finance.read'] : ['profile'],
      sub: '0oa-finance-agent',
    }),
  },
  {
    vendor: 'entraid',
    issuer: 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0',
    // v2.0 tokens carry the API's client id in aud, never the Application ID URI of the scope
    // (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference, aud).
    audience: '0f1e2d3c-4b5a-4697-8877-665544332211',
    typ: 'JWT',
    agentRequirement: { agentRoles: ['Finance.Read'] },
    humanClaim: 'act',
    agentClaims: (authorized) => ({
      ...times(),
      aud: '0f1e2d3c-4b5a-4697-8877-665544332211',
      iss: 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0',
      azp: 'a1b2c3d4-finance-agent-app',
      azpacr: '1',
      oid: '99999999-sp-object-id',
      sub: '99999999-sp-object-id',
      roles: authorized ? ['Finance.Read'] : ['Other.Read'],
      tid: '11111111-2222-3333-4444-555555555555',
      ver: '2.0',
      // No idtyp: an optional claim only APIs that ask for it get (optional-claims-reference).
    }),
  },
];

/** The agent id each vendor shape carries. */
export const agentIdOf = (shape: VendorShape) =>
  shape.vendor === 'okta'
    ? '0oa-finance-agent'
    : shape.vendor === 'entraid'
      ? 'a1b2c3d4-finance-agent-app'
      : AGENT;

export const APP_ID = 'https://app.acme.example';

/** The hybrid act assertion for `accessToken`, signed by the application's key. */
export function actAssertion(
  appKey: TestKey,
  accessToken: string,
  options: {
    clientId: string;
    audience: string;
    claims?: Record<string, unknown>;
    header?: Record<string, unknown>;
  },
): string {
  return mint(
    appKey,
    {
      iss: APP_ID,
      sub: HUMAN,
      aud: options.audience,
      iat: NOW - 5,
      exp: NOW + 55,
      jti: `assertion-${Math.random()}`,
      act: human,
      delegation,
      agbac_ver: AGBAC_VERSION,
      client_id: options.clientId,
      ath: createHash('sha256').update(accessToken).digest('base64url'),
      ...options.claims,
    },
    { typ: ACT_ASSERTION_TYPE, ...options.header },
  );
}

/**
 * The options of a verifier for `shape`'s tokens in `layout`, without a human policy (each test
 * names the one it means).
 */
export function shapeVerifierOptions(
  keys: { readonly idpKey: TestKey; readonly appKey: TestKey },
  shape: VendorShape,
  layout: 'agbac' | 'hybrid' | 'rfc8693',
) {
  return {
    issuer: shape.issuer,
    audience: shape.audience,
    keys: [keys.idpKey.publicJwk],
    vendor: shape.vendor,
    layout,
    humanClaim: shape.humanClaim,
    clock: () => NOW_MS,
    ...(layout === 'hybrid' ? { hybrid: { keys: [keys.appKey.publicJwk], issuer: APP_ID } } : {}),
  };
}

/**
 * A request carrying agent and human in `layout`, as `shape`'s vendor issues it: the human in the
 * token's (possibly namespaced) act claim, in an act assertion (hybrid), or as the token's subject
 * (RFC 8693). `humanClaims` are added where the human's roles claim is read: the act object, or the
 * RFC 8693 token itself.
 */
export function dualSubjectRequest(
  keys: { readonly idpKey: TestKey; readonly appKey: TestKey },
  shape: VendorShape,
  layout: 'agbac' | 'hybrid' | 'rfc8693',
  options: {
    readonly agentAuthorized: boolean;
    readonly humanId: string;
    readonly humanClaims?: Record<string, unknown>;
  },
): { authorization: string; actAssertion?: string } {
  const { idpKey, appKey } = keys;
  const agentClaims = shape.agentClaims(options.agentAuthorized);
  const agentId = agentIdOf(shape);
  const humanAct = { sub: options.humanId, email: HUMAN_EMAIL, name: HUMAN_NAME, ...options.humanClaims };
  if (layout === 'agbac') {
    // Where the human claim is namespaced (Auth0), the Action namespaces its companions the same way.
    const namespace = shape.humanClaim.slice(0, -'act'.length);
    const claims = {
      ...agentClaims,
      [shape.humanClaim]: humanAct,
      [`${namespace}delegation`]: delegation,
      [`${namespace}agbac_ver`]: AGBAC_VERSION,
    };
    return { authorization: `Bearer ${mint(idpKey, claims, { typ: shape.typ })}` };
  }
  if (layout === 'rfc8693') {
    // RFC 8693 §4.1: the human is the subject, the acting client is in `act` (Auth0 names it
    // `{client_id}@clients`).
    const actor = shape.vendor === 'auth0' ? `${agentId}@clients` : agentId;
    const claims = { ...agentClaims, ...options.humanClaims, sub: options.humanId, act: { sub: actor } };
    return { authorization: `Bearer ${mint(idpKey, claims, { typ: shape.typ })}` };
  }
  const token = mint(idpKey, agentClaims, { typ: shape.typ });
  const assertion = actAssertion(appKey, token, {
    clientId: agentId,
    audience: shape.audience,
    claims: { sub: options.humanId, act: humanAct },
  });
  return { authorization: `Bearer ${token}`, actAssertion: assertion };
}
