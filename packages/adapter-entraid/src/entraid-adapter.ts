import {
  type AdapterOptions,
  ClientCredentialsAdapter,
  ConfigurationError,
  type DualAuthConfig,
} from '@dual-auth/core';

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

/**
 * Requests agent tokens from Microsoft Entra ID, in `hybrid` mode (the only one Entra allows): a
 * plain app-only token for `{resource}/.default` (`client_secret_post`, `client_secret_basic`, or
 * `private_key_jwt` with the certificate's `x5t#S256`; Entra has no `client_secret_jwt`), then an
 * act assertion for the human from `signActAssertion`, bound to that token. The act assertion's
 * audience is `API_AUDIENCE`: the API app's Application (client) ID, which v2 tokens carry as `aud`
 * (not the Application ID URI of `API_SCOPE`); the resource of `API_SCOPE` when that is the client id.
 *
 * @example
 * ```ts
 * const adapter = new EntraIDAdapter(await getConfig({ vendor: 'entraid' }), { signActAssertion });
 * const tokenResponse = await adapter.requestToken({ agentId: config.clientId, act: { sub: oid, oid } });
 * tokenResponse.actAssertion; // send as X-Act-Assertion
 * ```
 * @throws {TypeError} for misuse: no `signActAssertion`, `mode: 'agbac'`, `client_secret_jwt`.
 * @throws {ConfigurationError} when `API_SCOPE` is not exactly `{resource}/.default`, without
 * `API_AUDIENCE` when `API_SCOPE` names an Application ID URI, or without a secret.
 */
export class EntraIDAdapter extends ClientCredentialsAdapter {
  declare readonly vendor: 'entraid';
  declare readonly audience: string;

  constructor(config: DualAuthConfig, options: EntraIDAdapterOptions = {}) {
    if (typeof config !== 'object' || config === null) throw new TypeError('config must be a DualAuthConfig');
    const resource = resourceOf(config.scope);
    if (resource === undefined) {
      throw new ConfigurationError(
        'API_SCOPE must be exactly one {resource}/.default scope for Entra ID client credentials, e.g. api://finance/.default.',
        { setting: 'API_SCOPE' },
      );
    }
    super(config, options, {
      vendor: 'entraid',
      tokenUrlSetting: 'ENTRAID_TOKEN_URL',
      defaultMode: 'hybrid',
      authMethods: { agbac: [], hybrid: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'] },
      agbacUnsupportedReason,
      defaultAuthMethod: { agbac: 'client_secret_post', hybrid: 'client_secret_post' },
      assertionAudience: (tokenUrl) => tokenUrl.href,
      audience: actAudienceOf(config, resource),
      requestParts: ({ scope }) => {
        if (resourceOf(scope) === undefined) {
          throw new TypeError('Entra ID scope must be exactly one {resource}/.default');
        }
        return { fields: { scope: scope.join(' ') } };
      },
    });
  }
}
