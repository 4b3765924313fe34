export {
  createVaultSecretsBackend,
  DEFAULT_KUBERNETES_TOKEN_PATH,
  type VaultAuthentication,
  type VaultSecretsBackendOptions,
} from './create-vault-secrets-backend.ts';
export { secretsBackendDefinition } from './secrets-backend-definition.ts';
