/**
 * The identity providers dual-auth speaks to.
 *
 * @example
 * ```ts
 * const vendor: Vendor = 'entraid';
 * ```
 */
export type Vendor = 'keycloak' | 'auth0' | 'okta' | 'entraid';

/**
 * Every supported {@link Vendor}, in documentation order.
 *
 * @example
 * ```ts
 * console.log(`DUAL_AUTH_VENDOR must be one of ${vendors.join(', ')}`);
 * ```
 */
export const vendors: readonly Vendor[] = Object.freeze(['keycloak', 'auth0', 'okta', 'entraid']);

/**
 * The secrets backends dual-auth reads settings from.
 *
 * @example
 * ```ts
 * const backend: SecretsBackendType = 'vault';
 * ```
 */
export type SecretsBackendType = 'env' | 'aws' | 'gcp' | 'azure' | 'vault';

/**
 * Every supported {@link SecretsBackendType}; `env` is the default.
 *
 * @example
 * ```ts
 * if (!secretsBackendTypes.includes(name)) throw new TypeError('unknown backend');
 * ```
 */
export const secretsBackendTypes: readonly SecretsBackendType[] = Object.freeze([
  'env',
  'aws',
  'gcp',
  'azure',
  'vault',
]);

/**
 * Whether `value` names a supported vendor.
 *
 * @example
 * ```ts
 * if (!isVendor(input)) throw new ConfigurationError(`unknown vendor`);
 * ```
 */
export function isVendor(value: unknown): value is Vendor {
  return typeof value === 'string' && (vendors as readonly string[]).includes(value);
}

/**
 * Whether `value` names a supported secrets backend.
 *
 * @example
 * ```ts
 * isSecretsBackendType('vault'); // true
 * ```
 */
export function isSecretsBackendType(value: unknown): value is SecretsBackendType {
  return typeof value === 'string' && (secretsBackendTypes as readonly string[]).includes(value);
}

/**
 * The npm package that implements a vendor's adapter.
 *
 * @example
 * ```ts
 * adapterPackageName('entraid'); // '@dual-auth/adapter-entraid'
 * ```
 */
export function adapterPackageName(vendor: Vendor): `@dual-auth/adapter-${Vendor}` {
  return `@dual-auth/adapter-${vendor}`;
}

/**
 * The npm package that implements a secrets backend.
 *
 * @example
 * ```ts
 * secretsBackendPackageName('aws'); // '@dual-auth/secrets-aws'
 * ```
 */
export function secretsBackendPackageName(
  type: SecretsBackendType,
): `@dual-auth/secrets-${SecretsBackendType}` {
  return `@dual-auth/secrets-${type}`;
}
