export {
  type AzureSecretsBackendOptions,
  createAzureSecretsBackend,
} from './create-azure-secrets-backend.ts';
export { secretsBackendDefinition } from './secrets-backend-definition.ts';
