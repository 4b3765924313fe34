import { SecretsBackendError, summarizeError } from '@dual-auth/core';

// The SDK's code for any failure to send, or the socket's own (ECONNREFUSED, ECONNRESET…).
const unreachableCode = /^(?:REQUEST_SEND_ERROR|E[A-Z_]{3,})$/;

const tlsCode = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS|^ERR_SSL/;

/** Whether a Key Vault error means "no such secret", which reads as `undefined`. */
export function isSecretNotFound(error: unknown): boolean {
  const shape = error as { readonly statusCode?: unknown; readonly code?: unknown } | null;
  return shape?.statusCode === 404 && shape.code === 'SecretNotFound';
}

function describe(summary: ReturnType<typeof summarizeError>, message: unknown): string {
  const { name, statusCode: status, code } = summary;
  const detail = [status === undefined ? undefined : `HTTP ${status}`, code].filter(Boolean).join(' ');
  if (name === 'CredentialUnavailableError')
    return 'no Azure credential is available (CredentialUnavailableError); configure a managed identity, workload identity or service principal';
  if (
    name === 'AuthenticationError' ||
    name === 'AuthenticationRequiredError' ||
    name === 'AggregateAuthenticationError'
  )
    return `authentication to Microsoft Entra ID failed (${name})`;
  if (status === 401) return `the vault refused the access token (${detail})`;
  if (status === 403) return `access denied (${detail}); grant the Key Vault Secrets User role`;
  if (status === 404) return `the vault answered not found (${detail}); check DUAL_AUTH_AZURE_VAULT_URL`;
  if (status === 429) return `the vault throttled the read (${detail})`;
  if (status !== undefined && status >= 500) return `the vault failed (${detail})`;
  if (code !== undefined && tlsCode.test(code)) return `the vault's TLS certificate is not trusted (${code})`;
  if (code !== undefined && unreachableCode.test(code)) return `the vault is unreachable (${code})`;
  // The SDK reports this check with a plain Error; its message is fixed text without request data.
  if (/challenge resource/i.test(String(message)))
    return "the vault's bearer challenge names a resource outside the vault's domain; check DUAL_AUTH_AZURE_VAULT_URL";
  if (name === 'AbortError') return 'the read was aborted';
  return `the read failed (${[name, detail].filter(Boolean).join(' ')})`;
}

/**
 * Turns a failure of the Key Vault SDK or of the credential into a `SecretsBackendError` that
 * names the secret and says why. The cause keeps only the error's class, code and status: SDK
 * errors carry the request, whose headers hold the bearer token.
 */
export function azureReadFailure(secretName: string, error: unknown): SecretsBackendError {
  const cause = summarizeError(error);
  const message = (error as { readonly message?: unknown } | null)?.message;
  return new SecretsBackendError(`azure secrets backend: ${describe(cause, message)} for "${secretName}".`, {
    backend: 'azure',
    secretName,
    cause,
  });
}
