import type { Vendor } from '@dual-auth/core';
import type { JWK } from 'jose';

/**
 * A client-authentication method at the token endpoint.
 *
 * @example
 * ```ts
 * const agent: AgentFixture = { ...defaultIdpFixture().agents[0]!, authMethods: ['private_key_jwt'] satisfies ClientAuthMethod[] };
 * ```
 */
export type ClientAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_jwt'
  | 'private_key_jwt';

/**
 * An agent registered at the embedded IdP: an OAuth client using client credentials.
 *
 * @example
 * ```ts
 * const agent: AgentFixture = {
 *   clientId: 'report-agent',
 *   clientSecret: 'a-long-random-test-secret-of-32-chars',
 *   authMethods: ['client_secret_jwt'],
 *   roles: ['agent'],
 * };
 * ```
 */
export interface AgentFixture {
  readonly clientId: string;
  /** Client secret (also the HMAC key of `client_secret_jwt`). */
  readonly clientSecret: string;
  /** Public JWK for `private_key_jwt`; the matching private JWK is in `privateJwk`. */
  readonly publicJwk?: JWK;
  /** The private half, for tests and local development only. */
  readonly privateJwk?: JWK;
  /** Methods this client may authenticate with (further limited by what the vendor supports). */
  readonly authMethods: readonly ClientAuthMethod[];
  /** The agent's roles (Keycloak realm roles, Auth0 permissions, Okta scopes, Entra app roles). */
  readonly roles: readonly string[];
  /**
   * `agent` (default): pre-approval rules apply. `directory-reader`: a service account that may only
   * read the directory/admin endpoints, exempt from the agent rules.
   */
  readonly kind?: 'agent' | 'directory-reader';
}

/**
 * A human in the embedded IdP's directory.
 *
 * @example
 * ```ts
 * const human: HumanFixture = { id: 'dana', email: 'dana@example.test', name: 'Dana', roles: ['human'], approvedAgents: ['report-agent'] };
 * ```
 */
export interface HumanFixture {
  /** The IAM user id. In a fixture, a short name; each profile lists it in its vendor's shape. */
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
  /** Client ids of the agents this human has approved to act for them. */
  readonly approvedAgents: readonly string[];
}

/**
 * What the embedded IdP serves: its tenants' names, the API, agents and humans.
 *
 * @example
 * ```ts
 * const base = defaultIdpFixture();
 * const fixture: IdpFixture = { ...base, humans: [...base.humans, human] };
 * const idp = await startEmbeddedIdp({ fixture });
 * ```
 */
export interface IdpFixture {
  /** Keycloak realm name (default `dual-auth`). */
  readonly realm: string;
  /** Okta custom authorization server id (default `aus-dual-auth`). */
  readonly oktaAuthServerId: string;
  /** Entra tenant id (a GUID). */
  readonly entraTenantId: string;
  /** The protected API: its identifier (audience) and the scopes it offers. */
  readonly api: { readonly identifier: string; readonly scopes: readonly string[] };
  /** The role an agent needs before the IdP issues it a dual-subject token. */
  readonly agentRole: string;
  /** The role a human needs before the IdP lets an agent act for them. */
  readonly humanRole: string;
  /**
   * The human's display claims the Keycloak mapper and the Auth0 Action copy into `act` besides
   * `sub` (default none, as shipped: minimum disclosure).
   */
  readonly actDisplayClaims?: readonly ('email' | 'name')[];
  /** Claim name the Auth0 Action writes the human to (namespaced, as Auth0 requires). */
  readonly auth0ActClaim: string;
  /**
   * Humans (ids) whom the Entra tenant's Conditional Access asks for multifactor authentication at
   * the API (default none). The test sign-in (password grant) cannot do MFA, so their on-behalf-of
   * requests are refused with `interaction_required` and a claims challenge.
   */
  readonly entraMfaRequiredHumans?: readonly string[];
  readonly agents: readonly AgentFixture[];
  readonly humans: readonly HumanFixture[];
}

/**
 * Run-time fault switches of one profile, for reliability tests.
 *
 * @example
 * ```ts
 * const faults: FaultControls = idp.profile('okta').faults;
 * faults.rateLimitNext(1, 2); // the next token request gets Okta's 429, X-Rate-Limit-Reset 2 s ahead
 * ```
 */
export interface FaultControls {
  /** Adds latency to every token-endpoint (and JWKS) response. */
  delay(milliseconds: number): void;
  /** The next `count` token requests fail with this HTTP status (5xx). */
  failNext(count: number, status?: number): void;
  /**
   * The next `count` token requests get the vendor's own 429, announcing `waitSeconds` (default 1)
   * only the way that vendor does: Auth0 `x-ratelimit-reset` and Okta `X-Rate-Limit-Reset` (epoch
   * seconds, no `Retry-After`), Entra ID `Retry-After`; Keycloak has no rate limiting of its own, so
   * its 429 is a bare one from a proxy in front, announcing no wait.
   */
  rateLimitNext(count: number, waitSeconds?: number): void;
  /** The next `count` token requests have their connection destroyed before any answer. */
  dropNext(count: number): void;
  /** The next `count` token requests get a 200 with a malformed body of this kind. */
  garbleNext(
    count: number,
    kind: 'not-json' | 'truncated-json' | 'wrong-content-type' | 'oversized' | 'missing-token',
  ): void;
  /** Replaces the signing key (JWKS then serves the new key first, the old one kept unless `dropOld`). */
  rotateSigningKey(options?: { dropOld?: boolean }): Promise<void>;
  /** Clears every switch. */
  reset(): void;
}

/**
 * One running vendor profile.
 *
 * @example
 * ```ts
 * const profile: IdpProfile = idp.profile('keycloak');
 * process.env.KEYCLOAK_TOKEN_URL = profile.tokenEndpoint;
 * process.env.AGENT_CLIENT_ID = profile.agents[0]!.clientId;
 * const adapter = new KeycloakAdapter(await getConfig());
 * ```
 */
export interface IdpProfile {
  readonly vendor: Vendor;
  /** The issuer exactly as the vendor writes it (Auth0 with its trailing slash). */
  readonly issuer: string;
  readonly discoveryUrl: string;
  /**
   * The authorization endpoint at the vendor's path (Keycloak `…/protocol/openid-connect/auth`,
   * Auth0 `/authorize`, Okta `…/v1/authorize`, Entra ID `…/oauth2/v2.0/authorize`). It signs humans
   * in only for the `webClients` given to `startEmbeddedIdp`.
   */
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /**
   * The audience tokens carry, as the vendor sets it. For Entra ID, the API's Application (client)
   * ID (a GUID), which v2.0 tokens carry in place of the Application ID URI requested in `scope`.
   */
  readonly audience: string;
  /** For Entra ID, the `scope` to request (`{resource}/.default`); for others the API scopes. */
  readonly scope: readonly string[];
  /** Base URL of the vendor's directory/admin API. */
  readonly directoryUrl: string;
  readonly agents: readonly AgentFixture[];
  /** Humans with their ids in this vendor's shape. */
  readonly humans: readonly HumanFixture[];
  readonly faults: FaultControls;
  /** Token requests the profile has answered (any outcome), for cache tests. */
  tokenRequestCount(): number;
}

/**
 * Options of `startEmbeddedIdp`.
 *
 * @example
 * ```ts
 * const options: EmbeddedIdpOptions = { vendors: ['keycloak', 'entraid'], https: true };
 * const idp = await startEmbeddedIdp(options);
 * ```
 */
export interface EmbeddedIdpOptions {
  /** Profiles to start (default all four). */
  readonly vendors?: readonly Vendor[];
  /** Serve HTTPS with the testkit's test CA (default true). */
  readonly https?: boolean;
  /** Port to listen on, on 127.0.0.1 (default 0 = any free port). */
  readonly port?: number;
  /** Fixture overrides (default: `defaultIdpFixture`). */
  readonly fixture?: IdpFixture;
  /**
   * Confidential web applications to register at every started profile for the OIDC
   * authorization-code flow with PKCE (S256 required), with the embedded login page (default none:
   * only client-credentials clients exist). See {@link WebClientFixture}.
   */
  readonly webClients?: readonly WebClientFixture[];
}

/**
 * A confidential web application (relying party) registered at the embedded IdP: it signs humans
 * in with the authorization-code flow, PKCE `S256` required, `client_secret_basic` or
 * `client_secret_post`, scopes `openid profile email`. The human signs in at the IdP's test login
 * page by user name (no password: this is a test IdP).
 *
 * @example
 * ```ts
 * const idp = await startEmbeddedIdp({
 *   webClients: [{
 *     clientId: 'demo-web',
 *     clientSecret: 'a-long-random-test-secret-of-32-chars',
 *     redirectUris: ['http://127.0.0.1:8080/callback'],
 *   }],
 * });
 * const authorize = idp.profile('okta').authorizationEndpoint; // …/oauth2/aus-dual-auth/v1/authorize
 * ```
 */
export interface WebClientFixture {
  readonly clientId: string;
  /** The client secret (at least 32 characters). */
  readonly clientSecret: string;
  /** Exact redirect URIs; `http://127.0.0.1:PORT/…` (loopback) is allowed besides `https:`. */
  readonly redirectUris: readonly string[];
  /**
   * Client ids the application's direct-grant tokens name in `aud` (a Keycloak audience mapper),
   * so that those agents may exchange them (token exchange); default none.
   */
  readonly audience?: readonly string[];
}

/**
 * A running embedded IdP.
 *
 * @example
 * ```ts
 * const idp: EmbeddedIdp = await startEmbeddedIdp();
 * try {
 *   console.log(idp.profile('auth0').issuer); // https://127.0.0.1:PORT/auth0/
 * } finally {
 *   await idp.close();
 * }
 * ```
 */
export interface EmbeddedIdp {
  /** `https://127.0.0.1:PORT` (or http). */
  readonly baseUrl: string;
  /** The test CA to trust when `https` (PEM). */
  readonly ca: string | undefined;
  readonly profiles: Readonly<Partial<Record<Vendor, IdpProfile>>>;
  /** The profile of `vendor`; throws when it was not started. */
  profile(vendor: Vendor): IdpProfile;
  close(): Promise<void>;
}
