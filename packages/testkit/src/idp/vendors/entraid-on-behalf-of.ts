// Microsoft Entra ID's on-behalf-of flow (OBO) and the sign-in that gives a test a human's token for
// the agent app. Sources, cited by short name in docs/vendor-fidelity.md ("On-behalf-of"):
// - obo: learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow (MicrosoftDocs/
//   entra-docs docs/identity-platform/v2-oauth2-on-behalf-of-flow.md): the request (grant_type
//   jwt-bearer, assertion whose `aud` is the app making the request, scope, requested_token_use),
//   the response (token_type, scope, expires_in, ext_expires_in, access_token), consent.
// - error codes: learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS50013,
//   65001, 70011, 500011, 900144; the error body).
// - claims: access-token-claims-reference (`aud` the API's client id, `azp`, `oid`, pairwise `sub`,
//   `scp` only in user tokens, `roles` = the user's roles on the target application).
// - ropc: learn.microsoft.com/entra/identity-platform/v2-oauth-ropc (grant_type=password with
//   client_id, scope, username, password; AADSTS50126 for bad credentials).
// - MSAL: AzureAD/microsoft-authentication-library-for-js lib/msal-node/src/client/OnBehalfOfClient.ts
//   (adds openid profile offline_access to the scopes) and lib/msal-common/src/error/
//   InteractionRequiredAuthError.ts (`suberror` consent_required).
// - conditional access: obo's error response example (interaction_required AADSTS50079 with a
//   `claims` challenge for the client to send to the authorize endpoint; its description and claims
//   here verbatim), claims-challenge; ropc: "doesn't support ... multifactor authentication".
import { findLoginHuman } from '../login-human.ts';
import { splitAccessTokenClaims } from '../split-access-token-claims.ts';
import type { Refusal } from '../token-refusal.ts';
import type { ClientAuthMethod, HumanFixture, IdpFixture } from '../types.ts';
import type { DirectGrantEmulation, TokenExchangeEmulation } from '../vendor-emulation.ts';
import { vendorUserId } from '../vendor-ids.ts';
import {
  type EntraRefusal,
  entraApiApplicationId,
  entraAzpacr,
  entraErrorResponse,
  entraPairwiseSubject,
} from './entraid.ts';

type Claims = Record<string, unknown>;

// obo's error response example, verbatim: the policy id is Microsoft's, not a secret.
const entraMfaClaimsChallenge =
  '{"access_token":{"polids":{"essential":true,"values":["9ab03e19-ed42-4168-b6b7-7001fb3e933a"]}}}';

/** RFC 7523 §2.1: the grant type of Entra's on-behalf-of request. */
const jwtBearerGrantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The password every fixture human has at the emulated tenant's resource-owner password grant (a
 * test IdP; the real tenant's humans have their own).
 *
 * @example
 * ```ts
 * const body = new URLSearchParams({ grant_type: 'password', username: 'alice', password: entraTestHumanPassword });
 * ```
 */
export const entraTestHumanPassword = 'dual-auth-entra-test-password-0123456789';

/** Microsoft Graph's application id: the resource of a sign-in whose scope names no API (obo, ".default"). */
export const entraMicrosoftGraphAppId = '00000003-0000-0000-c000-000000000000';

/** Scopes of OpenID Connect, which MSAL adds to every request (MSAL) and name no resource. */
const oidcScopes: readonly string[] = ['openid', 'profile', 'offline_access', 'email'];

/** The delegated scope an agent app exposes for the web application ("Expose an API"). */
const agentAppScope = 'access_as_user';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function scopesOf(value: unknown): string[] {
  return (text(value) ?? '').split(' ').filter((scope) => scope !== '' && !oidcScopes.includes(scope));
}

/** `{resource}/{name}` split at the last slash, or `undefined` for a bare name. */
function resourceAndName(scope: string): { resource: string; name: string } | undefined {
  const slash = scope.lastIndexOf('/');
  if (slash <= 0 || slash === scope.length - 1) return undefined;
  return { resource: scope.slice(0, slash), name: scope.slice(slash + 1) };
}

function refusal(entra: EntraRefusal, extra: Claims = {}): { refusal: Refusal } {
  const shaped = entraErrorResponse(entra);
  return {
    refusal: {
      kind: 'other',
      description: entra.text,
      answer: { ...shaped, body: { ...shaped.body, ...extra } },
    },
  };
}

/**
 * A delegated v2.0 access token as Entra lays it out (claims): `aud` the resource's client id, `azp`
 * the client, `oid` the user, `sub` pairwise, `scp`, the user's `roles` on the resource, `name`,
 * `preferred_username`, `tid`, `ver: "2.0"`; no `idtyp` (an optional claim the API has not asked for).
 */
function delegatedToken(
  header: Claims | undefined,
  payload: Claims,
  token: {
    readonly human: HumanFixture;
    readonly fixture: IdpFixture;
    readonly audience: string;
    readonly clientId: string;
    readonly scp: readonly string[];
    readonly roles: readonly string[];
    readonly authMethod: ClientAuthMethod | undefined;
  },
): { header: Claims; payload: Claims } {
  const { iss, iat, exp, jti } = splitAccessTokenClaims(payload);
  const { human, fixture } = token;
  return {
    header: { ...header, typ: 'JWT' },
    payload: {
      aud: token.audience,
      iss,
      iat,
      nbf: iat,
      exp,
      aio: 'AUQAu/8ZAAAA',
      azp: token.clientId,
      azpacr: entraAzpacr(token.authMethod),
      name: human.name,
      oid: human.id,
      preferred_username: human.email,
      rh: '0.AAAA',
      ...(token.roles.length === 0 ? {} : { roles: [...token.roles] }),
      scp: token.scp.join(' '),
      // Pairwise per application (claims, `sub`); here per tenant, client and user.
      sub: entraPairwiseSubject(fixture.entraTenantId, token.clientId, human.id),
      tid: fixture.entraTenantId,
      uti: String(jti).slice(0, 22),
      ver: '2.0',
    },
  };
}

/**
 * Entra's resource-owner password grant (ropc) for a web application: the fixture human by user name
 * and {@link entraTestHumanPassword}. The token is for the agent app the `scope` names
 * (`api://{agent}/access_as_user`, `{agent}/.default`, …: `aud` = the agent's client id, `scp`
 * `access_as_user`), else for Microsoft Graph — the human's token an agent then exchanges.
 *
 * @example
 * ```ts
 * const grant = entraDirectGrant; // used by the embedded IdP's Entra ID profile
 * ```
 */
export const entraDirectGrant: DirectGrantEmulation = {
  authenticate(directory, params) {
    const username = text(params.username);
    if (username === undefined || params.password !== entraTestHumanPassword) return undefined;
    return findLoginHuman(directory, username)?.human;
  },
  refusal: (unknownClient) =>
    unknownClient
      ? refusal({
          status: 400,
          error: 'unauthorized_client',
          code: 700016,
          text: 'Application with identifier was not found in the directory.',
        }).refusal
      : refusal({
          status: 400,
          error: 'invalid_grant',
          code: 50126,
          text: 'Error validating credentials due to invalid username or password.',
        }).refusal,
  shapeAccessToken({ human, webClient, fixture, directory, params }, header, payload) {
    const agentApp = scopesOf(params.scope)
      .map(resourceAndName)
      .map((parts) => parts?.resource.replace(/^api:\/\//, ''))
      .find((clientId) => clientId !== undefined && directory.agent(clientId) !== undefined);
    return delegatedToken(header, payload, {
      human,
      fixture,
      audience: agentApp ?? entraMicrosoftGraphAppId,
      clientId: webClient.clientId,
      scp: agentApp === undefined ? ['User.Read'] : [agentAppScope],
      roles: [],
      authMethod: 'client_secret_basic',
    });
  },
};

/**
 * Entra ID's on-behalf-of flow (obo): the agent app (the middle tier), authenticated by its secret
 * or certificate, redeems a human's access token whose `aud` is the agent app (`assertion`,
 * `requested_token_use=on_behalf_of`) for a delegated token for the API in `scope`. Refusals, in
 * Entra's error body (`error_codes`, trace and correlation ids; `suberror` for consent):
 * - a missing `assertion`, `scope` or `requested_token_use`: 400 `invalid_request` AADSTS900144;
 * - an assertion that is no access token of a tenant user: 400 `invalid_grant` AADSTS50013;
 * - an assertion for another application: 400 `invalid_grant` AADSTS500131;
 * - a scope of another resource: 400 `invalid_resource` AADSTS500011; a scope the API does not
 *   expose: 400 `invalid_scope` AADSTS70011;
 * - an agent app without consent to the API (the fixture's agents without the API's agent role):
 *   400 `invalid_grant` AADSTS65001, `suberror: consent_required`;
 * - a human Conditional Access asks MFA of (`fixture.entraMfaRequiredHumans`): 400
 *   `interaction_required` AADSTS50079 with obo's example `claims` challenge.
 *
 * @example
 * ```ts
 * const exchange = entraOnBehalfOf; // used by the embedded IdP's Entra ID profile
 * ```
 */
export const entraOnBehalfOf: TokenExchangeEmulation = {
  grantType: jwtBearerGrantType,
  subjectTokenParameter: 'assertion',
  parameters: ['assertion', 'requested_token_use', 'scope'],
  decide({ agent, params, subject, fixture, directory }) {
    for (const name of ['assertion', 'scope', 'requested_token_use'] as const) {
      if (text(params[name]) === undefined)
        return refusal({
          status: 400,
          error: 'invalid_request',
          code: 900144,
          text: `The request body must contain the following parameter: '${name}'.`,
        });
    }
    if (params.requested_token_use !== 'on_behalf_of')
      return refusal({
        status: 400,
        error: 'invalid_request',
        code: 90100,
        text: "The parameter 'requested_token_use' is empty or not valid.",
      });
    const human = directory.humans.find((candidate) => candidate.id === subject?.oid);
    // Only user tokens redeem (obo, "Client limitations"): a token with `scp` and a tenant user.
    if (
      agent === undefined ||
      subject === undefined ||
      human === undefined ||
      typeof subject.scp !== 'string'
    )
      return refusal({
        status: 400,
        error: 'invalid_grant',
        code: 50013,
        text: 'Assertion failed signature validation. [Reason - The assertion is not an access token of a user of this tenant.]',
      });
    if (subject.aud !== agent.clientId)
      return refusal({
        status: 400,
        error: 'invalid_grant',
        code: 500131,
        text: `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${String(subject.aud)}' and the expected audience is '${agent.clientId}' or one of the Application Uris of this application with App ID '${agent.clientId}'(${agent.clientId}). The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion.`,
      });
    const apiResources = [fixture.api.identifier, entraApiApplicationId(fixture.api)];
    const granted = new Set<string>();
    for (const scope of scopesOf(params.scope)) {
      const parts = resourceAndName(scope);
      if (parts === undefined || !apiResources.includes(parts.resource))
        return refusal({
          status: 400,
          error: 'invalid_resource',
          code: 500011,
          text: `The resource principal named ${parts?.resource ?? scope} was not found in the tenant named ${fixture.entraTenantId}.`,
        });
      if (parts.name === '.default') for (const name of fixture.api.scopes) granted.add(name);
      else if (fixture.api.scopes.includes(parts.name)) granted.add(parts.name);
      else
        return refusal({
          status: 400,
          error: 'invalid_scope',
          code: 70011,
          text: `The provided value for the input parameter 'scope' isn't valid. The scope ${scope} isn't valid.`,
        });
    }
    if (granted.size === 0)
      return refusal({
        status: 400,
        error: 'invalid_request',
        code: 900144,
        text: "The request body must contain the following parameter: 'scope'.",
      });
    // Consent to the API's delegated permission: admin consent, standing for the fixture's approval
    // of the agent (the API's agent role), as the Terraform grants both together.
    if (!agent.roles.includes(fixture.agentRole))
      return refusal(
        {
          status: 400,
          error: 'invalid_grant',
          code: 65001,
          text: `The user or administrator has not consented to use the application with ID '${agent.clientId}' named '${agent.clientId}'. Send an interactive authorization request for this user and resource.`,
        },
        { suberror: 'consent_required' },
      );
    if (fixture.entraMfaRequiredHumans?.some((id) => vendorUserId('entraid', id) === human.id) === true)
      return refusal(
        {
          status: 400,
          error: 'interaction_required',
          code: 50079,
          text: `Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multifactor authentication to access '${entraApiApplicationId(fixture.api)}'.`,
        },
        { claims: entraMfaClaimsChallenge },
      );
    return { agent, human, subject, scope: [...granted] };
  },
  shapeAccessToken({ agent, human, fixture, authMethod }, header, payload) {
    const scp = splitAccessTokenClaims(payload).scopes;
    return delegatedToken(header, payload, {
      human,
      fixture,
      audience: entraApiApplicationId(fixture.api),
      clientId: agent.clientId,
      scp,
      roles: human.roles,
      authMethod,
    });
  },
  // obo, "Middle-tier access token response": no refresh_token without offline_access (not emulated).
  tokenResponse: ({ access_token, expires_in, scope }) => ({
    token_type: 'Bearer',
    scope,
    expires_in,
    ext_expires_in: expires_in,
    access_token,
  }),
};
