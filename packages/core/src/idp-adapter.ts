import type { Act } from './act.ts';
import type { Delegation } from './delegation.ts';
import type { Secret } from './secret.ts';
import type { TokenResponse } from './token-response.ts';
import type { Vendor } from './vendors.ts';

/**
 * Where the human travels with the agent's token:
 * - `agbac`: inside the access token (`act`, or a vendor's namespaced claim), put there by the IdP;
 * - `hybrid`: beside a plain agent token, as an application-signed act assertion (`X-Act-Assertion`).
 *
 * @example
 * ```ts
 * const mode: DelegationMode = adapter.mode; // 'hybrid' at Okta and Entra ID
 * ```
 */
export type DelegationMode = 'agbac' | 'hybrid';

/**
 * How an adapter gets the agent's token: a {@link DelegationMode}, or `exchange` — the agent
 * exchanges the human's own access token (RFC 8693 token exchange) for a token in which the IdP
 * names the human (`sub`) and the agent (`azp`, `act`, `cid`…), where the vendor supports it.
 *
 * @example
 * ```ts
 * const mode: TokenMode = process.env.DUAL_AUTH_MODE === 'exchange' ? 'exchange' : 'agbac';
 * ```
 */
export type TokenMode = DelegationMode | 'exchange';

/**
 * What an agent asks its IdP for.
 *
 * @example
 * ```ts
 * const params: TokenRequestParams = { agentId: 'finance-agent', act: { sub: 'user-1' }, scope: ['finance.read'] };
 * ```
 */
export interface TokenRequestParams {
  /** The agent's client id at the IdP. */
  readonly agentId: string;
  /**
   * The human the agent acts for. In `exchange` mode it names the human of `subjectToken` and is
   * not sent: the IdP reads the human from the subject token.
   */
  readonly act: Act;
  /**
   * `exchange` mode only: the human's access token (RFC 8693 `subject_token`), as a {@link Secret}
   * so that it never reaches a log, an error or `JSON.stringify`.
   */
  readonly subjectToken?: Secret;
  /** Scopes to request. */
  readonly scope?: readonly string[];
  /** How and when the human delegated (default: explicit, granted now). */
  readonly delegation?: Delegation;
  /** Aborts the request (and its retries). */
  readonly signal?: AbortSignal;
}

/**
 * One identity provider's way of issuing a dual-subject token. Implemented by
 * `@dual-auth/adapter-keycloak`, `-auth0`, `-okta` and `-entraid`; every implementation passes the
 * testkit's `describeIdpAdapter` conformance suite.
 *
 * @example
 * ```ts
 * const adapter: IdpAdapter = new KeycloakAdapter(await getConfig());
 * const tokenResponse = await adapter.requestToken({ agentId: 'finance-agent', act, scope: ['finance.read'] });
 * ```
 */
export interface IdpAdapter {
  /** Which IdP this adapter speaks to. */
  readonly vendor: Vendor;
  /** The token endpoint, part of every token-cache key. */
  readonly tokenEndpoint: string;
  /** The API audience tokens are requested for, when the vendor takes one. */
  readonly audience: string | undefined;
  /** Where the human travels. */
  readonly mode: TokenMode;
  /** Requests a dual-subject token; throws `TokenRequestError` when the IdP refuses or fails. */
  requestToken(params: TokenRequestParams): Promise<TokenResponse>;
}

/**
 * What an act assertion (hybrid mode) binds together.
 *
 * @example
 * ```ts
 * const assertion = await signActAssertion({ accessToken, agentId, act, delegation, audience: 'https://api.example.com' });
 * ```
 */
export interface ActAssertionInput {
  /** The access token the assertion travels with; the assertion carries a hash of it (`ath`). */
  readonly accessToken: string;
  /** The agent's client id; the assertion is valid only with this agent's token. */
  readonly agentId: string;
  readonly act: Act;
  readonly delegation: Delegation;
  /** The API the assertion is for. */
  readonly audience: string;
}

/**
 * Signs an act assertion with the application's key. Adapters call it in hybrid mode; the sender
 * package provides the implementation, so adapters never depend on it.
 *
 * @example
 * ```ts
 * const signActAssertion: ActAssertionSigner = sender.createActAssertionSigner();
 * const adapter = new OktaAdapter(config, { signActAssertion });
 * ```
 */
export type ActAssertionSigner = (input: ActAssertionInput) => Promise<string>;
