export {
  type AwsEmulatorCredentials,
  type AwsEmulatorFaults,
  type AwsSecretsManagerEmulator,
  type AwsSecretsManagerEmulatorOptions,
  startAwsSecretsManagerEmulator,
} from './aws-secrets-manager.ts';
export {
  type AzureKeyVaultEmulator,
  type AzureKeyVaultEmulatorCounts,
  type AzureKeyVaultEmulatorOptions,
  startAzureKeyVaultEmulator,
} from './azure-key-vault.ts';
export {
  type EmulatorHarnessOptions,
  emulatorHarness,
  type SecretsServiceEmulator,
} from './emulator-harness.ts';
export {
  type GcpEmulatorFaults,
  type GcpSecretManagerEmulator,
  type GcpSecretManagerEmulatorOptions,
  startGcpSecretManagerEmulator,
} from './gcp-secret-manager.ts';
export {
  type HashiCorpVaultEmulator,
  type HashiCorpVaultEmulatorCounts,
  type HashiCorpVaultEmulatorOptions,
  startHashiCorpVaultEmulator,
} from './hashicorp-vault.ts';
