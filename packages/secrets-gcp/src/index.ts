export {
  createGcpSecretsBackend,
  type GcpClientOptions,
  type GcpSecretsBackendOptions,
  secretsBackendDefinition,
} from './create-gcp-secrets-backend.ts';
