import type {
  AdapterOptions,
  ClientAuthMethod,
  DelegationMode,
  DualAuthConfig,
  IdpAdapter,
  Vendor,
} from '@dual-auth/core';
import type { JWTPayload } from 'jose';
import type { IdpProfile } from '../idp/types.ts';

/**
 * The typed error a refusal must produce.
 *
 * @example
 * ```ts
 * const refusal: ExpectedRefusal = { status: 400, oauthError: 'invalid_grant', vendorCode: 'AADSTS501051' };
 * ```
 */
export interface ExpectedRefusal {
  readonly status: number;
  readonly oauthError?: string;
  readonly vendorCode?: string;
}

/**
 * A refusal the IdP cannot make at its token endpoint, so it issues the token and marks it for the
 * API to deny (Keycloak: nothing can fail a client_credentials request for a missing role, and a
 * script mapper cannot either, so a refused human gets `dual_auth_refusal` instead of `act`).
 * `marked` asserts the mark on the issued token's claims.
 *
 * @example
 * ```ts
 * const humanNotApproved: IssuedRefusal = {
 *   marked: (claims) => expect(claims).toMatchObject({ dual_auth_refusal: expect.any(String) }),
 * };
 * ```
 */
export interface IssuedRefusal {
  marked(claims: JWTPayload): void;
}

/**
 * A real IdP for {@link describeIdpAdapter} instead of the embedded one: its endpoints and the
 * fixture it was set up with. It has no fault switches: the fault cases are skipped, and say so.
 *
 * @example
 * ```ts
 * const realIdp: ConformanceIdp = {
 *   profile: { ...keycloak.realm('client_secret_jwt'), faults: undefined },
 *   close: async () => {},
 * };
 * ```
 */
export interface ConformanceIdp {
  readonly profile: Pick<
    IdpProfile,
    'issuer' | 'tokenEndpoint' | 'jwksUri' | 'audience' | 'scope' | 'agents' | 'humans'
  > & { readonly faults?: undefined };
  /** Who plays which part (default the fixture's `finance-agent`, `rogue-agent` and `alice`). */
  readonly cast?: ConformanceCast;
  close(): Promise<void>;
}

/**
 * Which of a real IdP's agents and humans play which part in {@link describeIdpAdapter}: a live
 * tenant's clients and users have the tenant's ids, not the fixture's. Every other human of the
 * profile is one the IdP must refuse.
 *
 * @example
 * ```ts
 * const cast: ConformanceCast = { agent: '0oa1agent', rogueAgent: '0oa1rogue', approvedHuman: '00u1alice' };
 * ```
 */
export interface ConformanceCast {
  /** Client id of the pre-approved agent. */
  readonly agent: string;
  /** Client id of an agent that is not pre-approved. */
  readonly rogueAgent: string;
  /** User id of a human who approved the agent. */
  readonly approvedHuman: string;
}

/**
 * What an adapter's test gives {@link describeIdpAdapter}: how to build the adapter, which mode and
 * client authentication to exercise, where the human lands in the token, and how the vendor
 * refuses. The suite starts the embedded IdP, builds the configuration from its profile, and, in
 * hybrid mode, signs act assertions with its own application key.
 *
 * @example
 * ```ts
 * const harness: IdpAdapterHarness = {
 *   vendor: 'okta', mode: 'hybrid', authMethod: 'client_secret_basic',
 *   createAdapter: (config, options) => new OktaAdapter(config, options),
 *   refusals: { agentNotApproved, wrongCredentials, badScope: { scope: ['payroll.admin'], refusal } },
 * };
 * ```
 */
export interface IdpAdapterHarness {
  readonly vendor: Vendor;
  readonly mode: DelegationMode;
  readonly authMethod: ClientAuthMethod;
  /** Builds the adapter under test. */
  createAdapter(config: DualAuthConfig, options: AdapterOptions): IdpAdapter;
  /** Vendor settings added to the configuration (e.g. `AUTH0_ACT_CLAIM`). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Claims of the access token that carry the human in agbac mode. */
  readonly humanClaims?: { readonly act: string; readonly delegation: string; readonly agbacVersion: string };
  /** Run against this real IdP instead of starting the embedded one (started in `beforeAll`). */
  readonly realIdp?: () => Promise<ConformanceIdp>;
  readonly refusals: {
    /** An agent without the agent role (`rogue-agent`). */
    readonly agentNotApproved: ExpectedRefusal | IssuedRefusal;
    /** A human without the role, or who did not approve the agent (agbac mode). */
    readonly humanNotApproved?: ExpectedRefusal | IssuedRefusal;
    /** A wrong client secret, or an assertion signed with a key the IdP does not know. */
    readonly wrongCredentials: ExpectedRefusal;
    /** A scope (or Entra resource) the IdP refuses. */
    readonly badScope: { readonly scope: readonly string[]; readonly refusal: ExpectedRefusal };
  };
}
