export { commonSettings } from '../config-definition.ts';
export {
  type CachingSecretsBackendOptions,
  createCachingSecretsBackend,
} from '../create-caching-secrets-backend.ts';
export { type GetConfigOptions, getConfig } from '../get-config.ts';
export { getSecretsBackendType } from '../get-secrets-backend-type.ts';
export { getVendor } from '../get-vendor.ts';
export { logSecretReads, type SecretRead } from '../log-secret-reads.ts';
export { ACT_DISPLAY_CLAIMS_SETTING, parseActDisplayClaims } from '../parse-act-display-claims.ts';
export { type EnvironmentSettingRule, readEnvironmentSetting } from '../read-environment-setting.ts';
export { type KeyFileReadOptions, readKeyFile } from '../read-key-file.ts';
export { type InsecureLoopbackSource, resolveInsecureLoopback } from '../resolve-insecure-loopback.ts';
export { INSECURE_LOOPBACK_SETTING } from '../url-policy.ts';
export { adapterPackageName, secretsBackendPackageName } from '../vendors.ts';
