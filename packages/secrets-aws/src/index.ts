export {
  type AwsSecretsBackendOptions,
  createAwsSecretsBackend,
  secretsBackendDefinition,
} from './create-aws-secrets-backend.ts';
