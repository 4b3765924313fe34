import { SecretsBackendError, summarizeError } from '@dual-auth/core';

/** Which step of a read failed, for the message. */
export type VaultStage = 'read' | 'login' | 'token file';

interface ErrorShape {
  readonly response?: { readonly statusCode?: unknown; readonly body?: unknown };
}

// The socket's codes (ECONNREFUSED, ECONNRESET, ETIMEDOUT from the transport's timeout…).
const unreachableCode = /^(?:ERR_NETWORK|ERR_SOCKET_CONNECTION_TIMEOUT|E[A-Z_]{3,})$/;
const tlsCode = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS|^ERR_SSL/;

/** The Kubernetes service account token file could not be read (the cause says why). */
export class VaultTokenFileError extends Error {
  constructor(cause: unknown) {
    super('the service account token file could not be read', { cause });
    this.name = 'VaultTokenFileError';
  }
}

/** A failure of one step, with the words the message should use for HTTP 403. */
export interface VaultFailureContext {
  readonly stage: VaultStage;
  /** `AppRole login`, `Kubernetes login`… */
  readonly authentication: string;
  /** What a 403 on the read means here. */
  readonly deniedMeaning: string;
}

function statusOf(shape: ErrorShape): number | undefined {
  const status = shape.response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Whether node-vault's error is HTTP `status`. */
export function hasStatus(error: unknown, status: number): boolean {
  return statusOf((error ?? {}) as ErrorShape) === status;
}

/** Whether a 404 means "no secret at this path" (Vault's empty `errors`), not "no such mount". */
export function isMissingSecret(error: unknown): boolean {
  if (!hasStatus(error, 404)) return false;
  const errors = ((error as ErrorShape).response?.body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) && errors.length === 0;
}

function describe(
  context: VaultFailureContext,
  status: number | undefined,
  code: string | undefined,
): string {
  if (context.stage === 'token file')
    return `the Kubernetes service account token could not be read (${code ?? 'unknown error'}); check VAULT_K8S_TOKEN_PATH`;
  const http = `HTTP ${status}`;
  if (context.stage === 'login' && status !== undefined && status >= 400 && status < 500)
    return `authentication to Vault failed (${context.authentication}, ${http})`;
  if (context.stage === 'read' && status === 403) return `${context.deniedMeaning} (${http})`;
  if (context.stage === 'read' && status === 404)
    return `Vault has no such mount or route (${http}); check DUAL_AUTH_VAULT_MOUNT`;
  if (status === 429) return `Vault throttled the request (${http})`;
  if (status === 503) return `Vault is sealed or unavailable (${http})`;
  if (status !== undefined) return `Vault answered ${http} during the ${context.stage}`;
  if (code !== undefined && tlsCode.test(code)) return `Vault's TLS certificate is not trusted (${code})`;
  if (code !== undefined && unreachableCode.test(code)) return `Vault is unreachable (${code})`;
  return `the ${context.stage} failed (${code ?? 'unknown error'})`;
}

/**
 * Turns a failure of node-vault (its unexported `ApiResponseError` carries
 * `response.statusCode` and the response; transport errors carry a socket `code`) into a
 * `SecretsBackendError` naming the secret. The cause keeps only the class, code and status, never
 * the response or request (whose headers hold the Vault token).
 */
export function vaultReadFailure(
  secretName: string,
  error: unknown,
  context: VaultFailureContext,
): SecretsBackendError {
  const cause = summarizeError(error);
  return new SecretsBackendError(
    `vault secrets backend: ${describe(context, cause.statusCode, cause.code)} for "${secretName}".`,
    { backend: 'vault', secretName, cause },
  );
}
