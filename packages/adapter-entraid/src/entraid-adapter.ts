import {
  type AdapterOptions,
  ConfigurationError,
  type DualAuthConfig,
  type TokenRequestParams,
  type TokenResponse,
} from '@dual-auth/core';
import { ClientCredentialsAdapter } from '@dual-auth/core/oauth';
import { explainOnBehalfOfRefusal } from './internal/explain-on-behalf-of-refusal.ts';

/**
 * Options of {@link EntraIDAdapter}: core's `AdapterOptions`; `signActAssertion` is required. A
 * certificate credential is a `privateKey` with its `x5tS256` thumbprint.
 *
 * @example
 * ```ts
 * const options: EntraIDAdapterOptions = { signActAssertion, privateKey: { key, alg: 'RS256', x5tS256 } };
 * ```
 */
export type EntraIDAdapterOptions = AdapterOptions;

const agbacUnsupportedReason =
  'Entra ID adds no request-time claims to app-only tokens, so the human travels as an ' +
  'application-signed act assertion; use hybrid';

// Entra's client-credentials scope is exactly one `{resource}/.default` (AADSTS1002012 otherwise).
function resourceOf(scope: readonly string[] | undefined): string | undefined {
  const [only, ...rest] = scope ?? [];
  if (only === undefined || rest.length > 0 || !only.endsWith('/.default')) return undefined;
  const resource = only.slice(0, -'/.default'.length);
  return resource === '' ? undefined : resource;
}

// An on-behalf-of request may also name delegated scopes of one API ("scope: A space separated list
// of scopes", v2-oauth2-on-behalf-of-flow; several resources at once are AADSTS700022,
// reference-error-codes): `{resource}/{scope}`, all of one resource, or `{resource}/.default` alone.
function delegatedResourceOf(scope: readonly string[] | undefined): string | undefined {
  const resources = new Set(
    (scope ?? []).map((name) => {
      const slash = name.lastIndexOf('/');
      return slash <= 0 || slash === name.length - 1 ? '' : name.slice(0, slash);
    }),
  );
  const [resource, ...others] = resources;
  if (resource === undefined || resource === '' || others.length > 0) return undefined;
  if ((scope ?? []).length > 1 && scope?.includes(`${resource}/.default`)) return undefined;
  return resource;
}

const applicationIdForm = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The act assertion goes to the API's audience, which for Entra v2 tokens is the API's Application
// (client) ID, never its Application ID URI ("In v2.0 tokens, this value is always the client ID of
// the API": learn.microsoft.com/entra/identity-platform/access-token-claims-reference). A scope
// `{client id}/.default` names it; a URI does not, so API_AUDIENCE must then say it.
function actAudienceOf(config: DualAuthConfig, resource: string): string {
  if (config.audience !== undefined) return config.audience;
  if (applicationIdForm.test(resource)) return resource;
  throw new ConfigurationError(
    `API_AUDIENCE is required when API_SCOPE names an Application ID URI (${resource}): set it to the API app's Application (client) ID, a GUID, which Entra v2 tokens carry as aud.`,
    { setting: 'API_AUDIENCE' },
  );
}

const clientCredentialsScopeProblem =
  'API_SCOPE must be exactly one {resource}/.default scope for Entra ID client credentials, e.g. api://finance/.default.';

/**
 * Requests agent tokens from Microsoft Entra ID. In `hybrid` mode (the default): a plain app-only
 * token for `{resource}/.default` (`client_secret_post`, `client_secret_basic`, or `private_key_jwt`
 * with the certificate's `x5t#S256`; Entra has no `client_secret_jwt`), then an act assertion for
 * the human from `signActAssertion`, bound to that token. In `exchange` mode: Entra's on-behalf-of
 * flow, the human's access token for the agent app (`subjectToken`, whose `aud` is the agent) sent
 * as `assertion` with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and
 * `requested_token_use=on_behalf_of`, for `API_SCOPE` (`{resource}/.default` or delegated scopes of
 * the API); the delegated token names the human in `oid` (`sub` is pairwise), the agent in `azp`
 * and the granted scopes in `scp`. Refusals the operator can fix (AADSTS65001 consent_required,
 * AADSTS500131, AADSTS50013, AADSTS70011, interaction_required…) say how in their message. The
 * act assertion's and the adapter's audience is `API_AUDIENCE`: the API app's Application (client)
 * ID, which v2 tokens carry as `aud` (not the Application ID URI of `API_SCOPE`); the resource of
 * `API_SCOPE` when that is the client id.
 *
 * @example
 * ```ts
 * const adapter = new EntraIDAdapter(await getConfig({ vendor: 'entraid' }), { signActAssertion });
 * const tokenResponse = await adapter.requestToken({ agentId: config.clientId, act: { sub: oid, oid } });
 * tokenResponse.actAssertion; // send as X-Act-Assertion
 * ```
 * @throws {TypeError} for misuse: no `signActAssertion` in hybrid mode, `mode: 'agbac'`,
 * `client_secret_jwt`.
 * @throws {ConfigurationError} when `API_SCOPE` is not exactly `{resource}/.default` (in exchange
 * mode: nor delegated scopes of one resource), without
 * `API_AUDIENCE` when `API_SCOPE` names an Application ID URI, or without a secret.
 */
export class EntraIDAdapter extends ClientCredentialsAdapter {
  declare readonly vendor: 'entraid';
  declare readonly audience: string;

  constructor(config: DualAuthConfig, options: EntraIDAdapterOptions = {}) {
    if (typeof config !== 'object' || config === null) throw new TypeError('config must be a DualAuthConfig');
    // Core resolves and checks the mode; here it only chooses which scopes API_SCOPE may hold.
    const exchange = (options?.mode ?? config.settings?.DUAL_AUTH_MODE) === 'exchange';
    const resource = exchange ? delegatedResourceOf(config.scope) : resourceOf(config.scope);
    if (resource === undefined) {
      throw new ConfigurationError(
        exchange
          ? 'API_SCOPE must be {resource}/.default or delegated scopes of one API for an Entra ID on-behalf-of request, e.g. api://finance/.default or api://finance/finance.read.'
          : clientCredentialsScopeProblem,
        { setting: 'API_SCOPE' },
      );
    }
    const methods = ['client_secret_post', 'client_secret_basic', 'private_key_jwt'] as const;
    super(config, options, {
      vendor: 'entraid',
      tokenUrlSetting: 'ENTRAID_TOKEN_URL',
      defaultMode: 'hybrid',
      // The on-behalf-of request takes the agent app's own credential: a secret (post or Basic) or a
      // certificate assertion (v2-oauth2-on-behalf-of-flow, first and second case).
      authMethods: { agbac: [], hybrid: methods, exchange: methods },
      agbacUnsupportedReason,
      defaultAuthMethod: {
        agbac: 'client_secret_post',
        hybrid: 'client_secret_post',
        exchange: 'client_secret_post',
      },
      assertionAudience: (tokenUrl) => tokenUrl.href,
      audience: actAudienceOf(config, resource),
      exchangeGrant: 'jwt-bearer-on-behalf-of',
      requestParts: ({ mode, scope }) => {
        const valid = mode === 'exchange' ? delegatedResourceOf(scope) : resourceOf(scope);
        if (valid === undefined) {
          throw new TypeError(
            mode === 'exchange'
              ? 'Entra ID scope must be {resource}/.default or delegated scopes of one resource'
              : 'Entra ID scope must be exactly one {resource}/.default',
          );
        }
        return { fields: { scope: scope.join(' ') } };
      },
    });
  }

  /**
   * Requests the agent's token; in exchange mode a refusal with a known fix says it.
   *
   * @example
   * ```ts
   * const { accessToken } = await adapter.requestToken({ agentId, act: { sub: oid, oid }, subjectToken });
   * ```
   * @throws {TypeError} as {@link ClientCredentialsAdapter.requestToken}.
   * @throws {TokenRequestError} when Entra refuses (`vendorCode` `AADSTSnnnn`).
   */
  override async requestToken(params: TokenRequestParams): Promise<TokenResponse> {
    if (this.mode !== 'exchange') return super.requestToken(params);
    try {
      return await super.requestToken(params);
    } catch (error) {
      throw explainOnBehalfOfRefusal(error);
    }
  }
}
