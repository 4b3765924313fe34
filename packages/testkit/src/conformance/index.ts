export { describeSecretsBackend, type SecretsBackendHarness } from './describe-secrets-backend.ts';
