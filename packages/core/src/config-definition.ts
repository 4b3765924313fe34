import type { ActDisplayClaim } from './parse-act-display-claims.ts';
import type { Secret } from './secret.ts';
import type { Vendor } from './vendors.ts';

/**
 * How a setting's text is validated and what it becomes:
 * - `url`: an https URL (loopback http only with the opt-in), no credentials → string;
 * - `text`: trimmed, non-empty, printable, ≤ 1024 characters → string;
 * - `secret`: trimmed, non-empty, ≤ 64 KiB → {@link Secret};
 * - `scopes`: space- or comma-separated OAuth scope tokens → string[];
 * - `path`: a file path → string.
 *
 * @example
 * ```ts
 * const kind: SettingKind = 'url';
 * ```
 */
export type SettingKind = 'url' | 'text' | 'secret' | 'scopes' | 'path';

/**
 * The typed properties of {@link DualAuthConfig} a setting can fill.
 *
 * @example
 * ```ts
 * const property: ConfigProperty = 'tokenUrl';
 * ```
 */
export type ConfigProperty =
  | 'tokenUrl'
  | 'clientId'
  | 'clientSecret'
  | 'audience'
  | 'scope'
  | 'appId'
  | 'appPrivateKeyPath'
  | 'appPublicKeyPath'
  | 'agentEndpoint'
  | 'apiUrl';

/**
 * One setting a vendor adapter needs, named by the seed's environment variable.
 *
 * @example
 * ```ts
 * const tokenUrl: SettingDefinition = {
 *   key: 'KEYCLOAK_TOKEN_URL',
 *   kind: 'url',
 *   required: true,
 *   property: 'tokenUrl',
 *   description: "the realm's token endpoint, https://{host}/realms/{realm}/protocol/openid-connect/token",
 * };
 * ```
 */
export interface SettingDefinition {
  /** The environment variable (and secret key) name. */
  readonly key: string;
  readonly kind: SettingKind;
  readonly required: boolean;
  /** The typed config property it fills; every setting is also in `config.settings[key]`. */
  readonly property?: ConfigProperty;
  /** What it is and where to find it, for error messages. */
  readonly description: string;
}

/**
 * What a `@dual-auth/adapter-*` package exports as `vendorDefinition`: the settings its adapter needs.
 * `getConfig()` reads them through the secrets backend, validates them and builds a {@link DualAuthConfig}.
 *
 * @example
 * ```ts
 * export const vendorDefinition = {
 *   vendor: 'keycloak',
 *   settings: [tokenUrl, clientId, clientSecret],
 * } satisfies VendorDefinition;
 * ```
 */
export interface VendorDefinition {
  readonly vendor: Vendor;
  /** Settings beyond {@link commonSettings}; a key listed in both takes this definition. */
  readonly settings: readonly SettingDefinition[];
}

/**
 * A validated setting value.
 *
 * @example
 * ```ts
 * const value: SettingValue | undefined = config.settings.API_SCOPE; // string[] for a scopes setting
 * ```
 */
export type SettingValue = string | Secret | readonly string[];

/**
 * The validated configuration of one agent or application: which vendor and backend, and every
 * setting. The client secret is a {@link Secret}, so the whole object is safe to log or serialize.
 *
 * @example
 * ```ts
 * const config = await getConfig();
 * const adapter = new KeycloakAdapter(config);
 * console.log(config.tokenUrl, config.clientId); // never the secret
 * ```
 */
export interface DualAuthConfig {
  readonly vendor: Vendor;
  /** Which secrets backend the settings came from. */
  readonly secretsBackend: string;
  /** The IdP's token endpoint. */
  readonly tokenUrl: string;
  /** The agent's client id (`AGENT_CLIENT_ID`). */
  readonly clientId: string;
  /** The agent's client secret (`AGENT_CLIENT_SECRET`). */
  readonly clientSecret: Secret | undefined;
  /** The API audience (`API_AUDIENCE`). */
  readonly audience: string | undefined;
  /** Scopes to request (`API_SCOPE`). */
  readonly scope: readonly string[] | undefined;
  /** The application's identifier, issuer of act JWTs and act assertions (`APP_ID`). */
  readonly appId: string | undefined;
  readonly appPrivateKeyPath: string | undefined;
  readonly appPublicKeyPath: string | undefined;
  /** The out-of-session agent's endpoint, audience of act JWTs (`AGENT_ENDPOINT`). */
  readonly agentEndpoint: string | undefined;
  /** The protected API (`API_URL`). */
  readonly apiUrl: string | undefined;
  /** Whether http on loopback hosts is allowed (`DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true`): tests and demos only. */
  readonly allowInsecureLoopback: boolean;
  /**
   * Display claims of the human allowed on the wire besides its IAM ids
   * (`DUAL_AUTH_ACT_DISPLAY_CLAIMS=email,name`); `getConfig()` always sets it, `[]` by default
   * (only `act.sub`, and Entra's `oid`, are sent). Absent counts as `[]`.
   */
  readonly actDisplayClaims?: readonly ActDisplayClaim[];
  /** Every setting that was read, by key, including vendor-specific ones. */
  readonly settings: Readonly<Record<string, SettingValue>>;
}

/**
 * Settings every vendor shares, all optional unless a vendor definition says otherwise.
 *
 * @example
 * ```ts
 * const keys = commonSettings.map((setting) => setting.key); // ['APP_ID', 'APP_PRIVATE_KEY_PATH', …]
 * ```
 */
export const commonSettings: readonly SettingDefinition[] = Object.freeze([
  {
    key: 'API_AUDIENCE',
    kind: 'text',
    required: false,
    property: 'audience',
    description: 'the API identifier tokens are requested for',
  },
  {
    key: 'API_SCOPE',
    kind: 'scopes',
    required: false,
    property: 'scope',
    description: 'the scopes to request',
  },
  {
    key: 'APP_ID',
    kind: 'text',
    required: false,
    property: 'appId',
    description: "the application's identifier, issuer of act JWTs",
  },
  {
    key: 'APP_PRIVATE_KEY_PATH',
    kind: 'path',
    required: false,
    property: 'appPrivateKeyPath',
    description: "path to the application's private signing key (PEM)",
  },
  {
    key: 'APP_PUBLIC_KEY_PATH',
    kind: 'path',
    required: false,
    property: 'appPublicKeyPath',
    description: "path to the application's public key (PEM), for agents verifying act JWTs",
  },
  {
    key: 'AGENT_ENDPOINT',
    kind: 'url',
    required: false,
    property: 'agentEndpoint',
    description: "the out-of-session agent's endpoint",
  },
  { key: 'API_URL', kind: 'url', required: false, property: 'apiUrl', description: 'the protected API' },
] satisfies SettingDefinition[]);
