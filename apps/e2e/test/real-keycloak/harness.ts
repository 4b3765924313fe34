import { KeycloakAdapter } from '@dual-auth/adapter-keycloak';
import { type AdapterOptions, type DualAuthConfig, type IdpAdapter, Secret } from '@dual-auth/core';
import type {
  AgentFixture,
  HumanFixture,
  RealKeycloakClientAuth,
  RealKeycloakRealm,
} from '@dual-auth/testkit';
import { createStaticHumanAuthorizer, createVerifier, type Verifier } from '@dual-auth/verifier';
import { type JWK, type JWTPayload, SignJWT } from 'jose';
import { inject } from 'vitest';

export const APP_ID = 'https://app.dual-auth.test';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** One realm of the folder's real Keycloak (started once by global-setup.ts). */
export function realRealm(clientAuth: RealKeycloakClientAuth): RealKeycloakRealm {
  return inject('realKeycloak').realms[clientAuth];
}

export function agentOf(realm: Pick<RealKeycloakRealm, 'agents'>, clientId: string): AgentFixture {
  const agent = realm.agents.find((candidate) => candidate.clientId === clientId);
  if (agent === undefined) throw new TypeError(`fixture agent ${clientId} is missing`);
  return agent;
}

/** A fixture human by the local part of their email (alice, bob, carol). */
export function humanOf(realm: Pick<RealKeycloakRealm, 'humans'>, name: string): HumanFixture {
  const human = realm.humans.find((candidate) => candidate.email.startsWith(`${name}@`));
  if (human === undefined) throw new TypeError(`fixture human ${name} is missing`);
  return human;
}

/** The Keycloak adapter for one agent of a real realm, in agbac mode with the realm's client auth. */
export function realAdapter(
  realm: RealKeycloakRealm,
  agent: AgentFixture,
  options: AdapterOptions = {},
): IdpAdapter {
  const config: DualAuthConfig = {
    vendor: 'keycloak',
    secretsBackend: 'inline',
    tokenUrl: realm.tokenEndpoint,
    clientId: agent.clientId,
    clientSecret: new Secret(agent.clientSecret),
    audience: realm.audience,
    scope: realm.scope,
    appId: APP_ID,
    appPrivateKeyPath: undefined,
    appPublicKeyPath: undefined,
    agentEndpoint: undefined,
    apiUrl: undefined,
    allowInsecureLoopback: false,
    settings: { KEYCLOAK_TOKEN_URL: realm.tokenEndpoint, AGENT_CLIENT_ID: agent.clientId },
  };
  const jwk = agent.privateJwk;
  return new KeycloakAdapter(config, {
    mode: 'agbac',
    authMethod: realm.clientAuth,
    retry: { limit: 0 },
    ...(realm.clientAuth === 'private_key_jwt' && jwk !== undefined
      ? { privateKey: { key: jwk, alg: 'RS256', ...(jwk.kid === undefined ? {} : { kid: jwk.kid }) } }
      : {}),
    ...options,
  });
}

/**
 * The API's verifier for a realm's real tokens and JWKS, with a real human policy: the directory
 * of who holds the human role and approved which agent (the realm's own user attributes).
 */
export function realVerifier(realm: {
  issuer: string;
  audience: string;
  jwksUri: string;
  humans: readonly HumanFixture[];
}): Verifier {
  return createVerifier({
    issuer: realm.issuer,
    audience: realm.audience,
    jwksUri: realm.jwksUri,
    vendor: 'keycloak',
    layout: 'agbac',
    humanClaim: 'act',
    humanAuthorizer: createStaticHumanAuthorizer(
      Object.fromEntries(
        realm.humans.map((human) => [human.id, { roles: human.roles, agents: human.approvedAgents }]),
      ),
    ),
  });
}

export interface AssertionOverrides {
  /** Seconds relative to now (default 0). */
  readonly iatOffset?: number;
  /** Lifetime from iat, seconds (default 60). */
  readonly lifetime?: number;
  readonly jti?: string;
  readonly claims?: JWTPayload;
  /** Sign with another secret or key than the agent's. */
  readonly wrongKey?: boolean;
}

/** A client assertion as an agent builds it (aud = the realm issuer), with controllable timing. */
export async function clientAssertion(
  clientAuth: RealKeycloakClientAuth,
  issuer: string,
  agent: AgentFixture,
  overrides: AssertionOverrides = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const iat = now + (overrides.iatOffset ?? 0);
  const jwt = new SignJWT({ ...overrides.claims })
    .setIssuer(agent.clientId)
    .setSubject(agent.clientId)
    .setAudience(issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (overrides.lifetime ?? 60))
    .setJti(overrides.jti ?? crypto.randomUUID());
  if (clientAuth === 'client_secret_jwt') {
    const secret = new TextEncoder().encode(`${agent.clientSecret}${overrides.wrongKey ? '-wrong' : ''}`);
    return jwt.setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
  }
  const jwk = agent.privateJwk as JWK;
  const { importJWK, generateKeyPair } = await import('jose');
  const key = overrides.wrongKey
    ? (await generateKeyPair('RS256')).privateKey
    : await importJWK(jwk, 'RS256');
  return jwt.setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(jwk.kid ? { kid: jwk.kid } : {}) }).sign(key);
}

export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** POSTs a client_credentials request with a client assertion to a token endpoint. */
export async function postAssertion(
  tokenEndpoint: string,
  assertion: string,
  extra: Record<string, string> = {},
): Promise<TokenAnswer> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER,
      client_assertion: assertion,
      ...extra,
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text.slice(0, 200) };
  }
  return { status: response.status, body };
}

/** The act, delegation and version an agbac agent puts in its assertion for `human`. */
export function actClaims(human: Pick<HumanFixture, 'id'>): JWTPayload {
  return {
    act: { sub: human.id },
    delegation: { method: 'explicit', granted_at: Math.floor(Date.now() / 1000) - 5 },
    agbac_ver: '1.0',
  };
}

/** Claim names and JSON types, recursively; arrays by the layout of their first element. */
export function claimLayout(value: unknown): unknown {
  if (Array.isArray(value)) return [value.length === 0 ? 'empty' : claimLayout(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, claimLayout((value as Record<string, unknown>)[key])]),
    );
  }
  return value === null ? 'null' : typeof value;
}
