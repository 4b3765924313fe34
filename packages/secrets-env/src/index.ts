export {
  createEnvSecretsBackend,
  type EnvSecretsBackendOptions,
  secretsBackendDefinition,
} from './create-env-secrets-backend.ts';
