import { SecretsBackendError, summarizeError } from '@dual-auth/core';

// gRPC status codes (the same on the REST fallback in SDK 7), named for messages.
const statusNames: Readonly<Record<number, string>> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

const problems: Readonly<Record<number, string>> = {
  3: 'the request was refused as invalid: check DUAL_AUTH_GCP_PROJECT and the prefix',
  4: 'the service did not answer in time',
  7: 'access denied: the caller needs roles/secretmanager.secretAccessor (secretmanager.versions.access) on the secret',
  9: 'the version is disabled or destroyed',
  14: 'the service is unreachable or unavailable',
  16: 'authentication failed: check the Application Default Credentials',
};

/** The gRPC status code of an SDK failure, when it has one. */
export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
}

/**
 * A `SecretsBackendError` of this backend: `problem`, reading `resourceName` (never a value). The
 * cause is summarized (class name, code, status): SDK errors carry the call's metadata and request.
 */
export function gcpError(
  problem: string,
  secretName: string,
  resourceName: string,
  cause?: unknown,
): SecretsBackendError {
  return new SecretsBackendError(`gcp secrets backend: ${problem}, reading "${resourceName}".`, {
    backend: 'gcp',
    secretName,
    ...(cause === undefined ? {} : { cause: summarizeError(cause) }),
  });
}

/** What a Secret Manager SDK failure means for `secretName`, as the `SecretsBackendError` to throw. */
export function gcpFailure(error: unknown, secretName: string, resourceName: string): SecretsBackendError {
  const code = grpcCode(error);
  const kind = code === undefined ? 'no status' : `${code} ${statusNames[code] ?? 'status'}`;
  const problem = (code === undefined ? undefined : problems[code]) ?? 'the read failed';
  return gcpError(`${problem} (${kind})`, secretName, resourceName, error);
}
