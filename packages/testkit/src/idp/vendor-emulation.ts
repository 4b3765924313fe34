import type { Vendor } from '@dual-auth/core';
import type { Directory } from './directory.ts';
import type { RateLimitResponse } from './rate-limit-response.ts';
import type { EmbeddedIdpHooks } from './start-embedded-idp.ts';
import type { Refusal, ShapedResponse } from './token-refusal.ts';
import type { AgentFixture, ClientAuthMethod, HumanFixture, IdpFixture, WebClientFixture } from './types.ts';
import { auth0Emulation } from './vendors/auth0.ts';
import { entraidEmulation } from './vendors/entraid.ts';
import { keycloakEmulation } from './vendors/keycloak.ts';
import { oktaEmulation } from './vendors/okta.ts';

type Claims = Record<string, unknown>;

/** Where a vendor serves its endpoints and which rules its token endpoint applies. */
export interface VendorSpec {
  /** Path prefix of this vendor's OAuth server on the shared port. */
  mount(fixture: IdpFixture): string;
  /** The issuer string, exactly as the vendor writes it. */
  issuer(baseUrl: string, fixture: IdpFixture): string;
  /** oidc-provider routes, relative to the mount. */
  readonly routes: { readonly token: string; readonly jwks: string };
  /** Human sign-in routes, relative to the mount (used only when web clients are registered). */
  readonly loginRoutes: { readonly authorization: string; readonly userinfo: string };
  /** Where this vendor serves discovery, when not at `{mount}/.well-known/openid-configuration`. */
  discoveryPath?(fixture: IdpFixture): string;
  /** Client-authentication methods the vendor supports at all. */
  readonly authMethods: readonly ClientAuthMethod[];
  /** Which `aud` a client assertion may carry (the vendor's other assertion rules: `assertionFailure`). */
  readonly assertionAudience: 'one-of-issuer-or-endpoints' | 'token-url' | 'issuer';
  /** Clock tolerance oidc-provider applies to assertions, seconds. */
  readonly clockToleranceSeconds: number;
  /** Lifetime of issued access tokens, seconds. */
  readonly accessTokenTtlSeconds: number;
  /** Base path of the vendor's directory/admin API. */
  directoryPath(fixture: IdpFixture): string;
}

/** A client assertion whose signature, `sub` and `aud` oidc-provider and the shared rules accepted. */
export interface ClientAssertion {
  readonly header: Claims;
  readonly claims: Claims;
  readonly clientId: string;
  readonly agent: AgentFixture | undefined;
  readonly nowSeconds: number;
}

/** A client-credentials request of an agent, as the vendor's request rules see it. */
export interface AgentTokenRequest {
  readonly agent: AgentFixture;
  readonly scopes: readonly string[];
  /** The raw form body (Auth0 reads `audience`, its Action the whole body). */
  readonly body: Readonly<Record<string, unknown>>;
  /** The verified client assertion's claims, when the client sent one. */
  readonly assertionClaims: Claims | undefined;
}

/** One running profile of a vendor: what its rules and hooks are bound to. */
export interface VendorProfileContext {
  readonly directory: Directory;
  readonly hooks: EmbeddedIdpHooks;
}

/** The vendor's decision on a request: go on (with the claims to add, if any), or refuse. */
export type Approval = { readonly claims: Claims | undefined } | { readonly refusal: Refusal };

/** Decides, per request, whether an agent gets its token and which claims the vendor adds. */
export type PreApproval = (request: AgentTokenRequest) => Approval;

/** What the token customizer knows about the access token being issued. */
export interface AccessTokenShapeInput {
  readonly agent: AgentFixture;
  readonly fixture: IdpFixture;
  /** The audience oidc-provider resolved for the token. */
  readonly audience: string;
  readonly clientAddress: string;
  /** How the client authenticated (Entra's `azpacr`). */
  readonly authMethod?: ClientAuthMethod | undefined;
}

/** A human's roles in the vendor's admin-API shape, at one path of its directory API. */
export interface DirectoryRoute {
  /** Matches the path below `directoryPath`; group 1 is the user id. */
  readonly pattern: RegExp;
  body(directory: Directory, human: HumanFixture): unknown;
}

/** Reshapes oidc-provider's JWT access token (header and payload) into the vendor's layout. */
export type TokenShape = (header: Claims | undefined, payload: Claims) => { header: Claims; payload: Claims };

/**
 * A vendor's direct grant (`grant_type=password`) for web applications, so that a test holds a
 * human's access token to exchange (Keycloak's "Direct access grants").
 */
export interface DirectGrantEmulation {
  /** The human the form's `username` and `password` sign in, or `undefined`. */
  authenticate(directory: Directory, params: Readonly<Record<string, unknown>>): HumanFixture | undefined;
  /** The vendor's refusal of an unknown application (`unknownClient`) or of bad user credentials. */
  refusal(unknownClient: boolean): Refusal;
  shapeAccessToken(
    input: {
      human: HumanFixture;
      webClient: WebClientFixture;
      fixture: IdpFixture;
      directory: Directory;
      /** The form (a vendor whose `scope` names the token's resource reads it). */
      params: Readonly<Record<string, unknown>>;
    },
    header: Claims | undefined,
    payload: Claims,
  ): { header: Claims; payload: Claims };
}

/** What the token-exchange rules see of one request (the subject token already verified, or not). */
export interface TokenExchangeRequest {
  /** The authenticated client, when it is a fixture agent. */
  readonly agent: AgentFixture | undefined;
  readonly params: Readonly<Record<string, unknown>>;
  /** The subject token's claims when its signature and issuer verified, else `undefined`. */
  readonly subject: Claims | undefined;
  readonly fixture: IdpFixture;
  readonly directory: Directory;
  /** Whether a client id is a client of this tenant. */
  isClient(clientId: string): boolean;
}

/** The vendor's decision on an exchange: the human and scopes of the new token, or a refusal. */
export type TokenExchangeDecision =
  | {
      readonly agent: AgentFixture;
      readonly human: HumanFixture;
      readonly subject: Claims;
      readonly scope: readonly string[];
    }
  | { readonly refusal: Refusal };

/**
 * A vendor's exchange of a human's token (RFC 8693 token exchange, or a vendor's own on-behalf-of
 * grant): its grant type and form, its rules, its token's layout and its response.
 */
export interface TokenExchangeEmulation {
  /** The `grant_type` (default RFC 8693's `urn:ietf:params:oauth:grant-type:token-exchange`). */
  readonly grantType?: string;
  /** The form parameter holding the human's token (default `subject_token`). */
  readonly subjectTokenParameter?: string;
  /** The grant's form parameters besides the client's (default RFC 8693's). */
  readonly parameters?: readonly string[];
  decide(request: TokenExchangeRequest): TokenExchangeDecision;
  shapeAccessToken(
    input: {
      agent: AgentFixture;
      human: HumanFixture;
      subject: Claims;
      fixture: IdpFixture;
      directory: Directory;
      /** How the agent authenticated. */
      authMethod?: ClientAuthMethod | undefined;
    },
    header: Claims | undefined,
    payload: Claims,
  ): { header: Claims; payload: Claims };
  /** The vendor's response, from oidc-provider's token and the verified subject token's claims. */
  tokenResponse(body: Claims, subject: Claims): Claims;
}

/**
 * Everything one vendor decides in the embedded IdP; the shared mechanics (oidc-provider wiring,
 * routing, storage, faults) ask it and never name a vendor.
 */
export interface VendorEmulation {
  readonly vendor: Vendor;
  readonly spec: VendorSpec;
  /** A fixture user's id in the vendor's shape (`vendorUserId`). */
  userId(fixtureId: string): string;
  /** The audience the vendor puts in the API's tokens, as the profile advertises it. */
  audience(fixture: IdpFixture): string;
  /** The `scope` a client requests for the API (`IdpProfile.scope`). */
  requestScopes(fixture: IdpFixture): readonly string[];
  /** The resource a client-credentials request is for, or why the vendor refuses to pick one. */
  resource(request: Pick<AgentTokenRequest, 'scopes' | 'body'>, fixture: IdpFixture): string | Refusal;
  /** The description of the vendor's refusal of a resource it does not know. */
  unknownResourceText(resource: string, fixture: IdpFixture): string;
  /** Refuses a client assertion (a detail oidc-provider's refusal carries, or the vendor's own refusal). */
  assertionFailure(assertion: ClientAssertion): string | Refusal | undefined;
  /** Why the vendor refuses the requested scopes (`invalid_scope`), or `undefined`. */
  scopeRefusal(request: AgentTokenRequest, fixture: IdpFixture): string | undefined;
  /** The vendor's pre-approval step (Keycloak's mapper, Auth0's Action, Okta's and Entra's role rules). */
  preApproval(profile: VendorProfileContext): PreApproval;
  /** Reshapes oidc-provider's JWT access token into the vendor's claim layout and header. */
  shapeAccessToken(
    input: AccessTokenShapeInput,
    header: Claims | undefined,
    payload: Claims,
  ): { header: Claims; payload: Claims };
  /** The vendor's successful token response, from oidc-provider's. */
  tokenResponse(body: Claims): Claims;
  /** Headers the vendor sends on every answered token request, or none. */
  tokenResponseHeaders?(now: number): Readonly<Record<string, string>>;
  /** The vendor's answer to a refusal (status, body in its shape and words). */
  refusalResponse(refusal: Refusal, context: { clientId?: string; fixture: IdpFixture }): ShapedResponse;
  /** The vendor's 429, announcing a wait of `waitSeconds` from `now` (ms) only the way it does. */
  rateLimitResponse(waitSeconds: number, now: number): RateLimitResponse;
  /** The ID-token / userinfo claims the vendor issues for a signed-in human. */
  humanClaims(directory: Directory, human: HumanFixture): Claims;
  /** A pairwise `sub` per application, for vendors whose human `sub` is pairwise (Entra ID). */
  pairwiseSubject?(fixture: IdpFixture, clientId: string, accountId: string): string;
  /** The directory API's role paths. */
  readonly directoryRoutes: readonly DirectoryRoute[];
  /** The vendor's direct grant for web applications, when emulated. */
  readonly directGrant?: DirectGrantEmulation;
  /** The vendor's token exchange, when emulated. */
  readonly tokenExchange?: TokenExchangeEmulation;
}

/** Every vendor's emulation, in the order their mounts must be matched (Auth0's `/` last). */
export const vendorEmulations: readonly VendorEmulation[] = [
  keycloakEmulation,
  oktaEmulation,
  entraidEmulation,
  auth0Emulation,
];

/** The emulation of one vendor. */
export function vendorEmulation(vendor: Vendor): VendorEmulation {
  const emulation = vendorEmulations.find((candidate) => candidate.vendor === vendor);
  if (emulation === undefined) throw new TypeError(`unknown vendor ${String(vendor)}`);
  return emulation;
}
