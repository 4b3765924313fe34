import { SecretsBackendError, summarizeError } from '@dual-auth/core';

const authenticationFailures = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'MissingAuthenticationToken',
  'CredentialsProviderError',
]);

const networkFailures = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'TimeoutError',
]);

// The SDK error's class name or Node's network code, never its message (which may quote the request).
function kindOf(error: unknown): string {
  for (const field of ['name', 'code'] as const) {
    const value = (error as Partial<Record<typeof field, unknown>> | null)?.[field];
    if (typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) && value !== 'Error') return value;
  }
  return 'unknown error';
}

function isRefusalStatus(status: number | undefined): boolean {
  return status === 401 || status === 403;
}

function networkCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && networkFailures.has(code)) return code;
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && networkFailures.has(name) ? name : undefined;
}

// The HTTP status of the answer, when the SDK kept it (also on a body it could not parse).
function httpStatusOf(error: unknown): number | undefined {
  const candidates = [
    (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode,
    (error as { $response?: { statusCode?: unknown } } | null)?.$response?.statusCode,
  ];
  return candidates.find((status): status is number => typeof status === 'number');
}

/**
 * What an AWS SDK failure means for the secret `secretName`, as the `SecretsBackendError` to throw,
 * with a hint at the usual fix. Access denied is an `AccessDeniedException` whose class the SDK
 * does not export, hence matching on `name`.
 */
export function awsFailure(error: unknown, secretName: string): SecretsBackendError {
  const kind = kindOf(error);
  const network = networkCode(error);
  let problem: string;
  if (kind === 'AccessDeniedException') {
    problem = `access denied (${kind}): the caller needs secretsmanager:GetSecretValue on the secret, and kms:Decrypt on its key if it is a customer-managed key`;
  } else if (kind === 'DecryptionFailure') {
    problem = `the secret could not be decrypted (${kind}): the caller needs kms:Decrypt on its key`;
  } else if (authenticationFailures.has(kind)) {
    problem = `authentication failed (${kind}): check the AWS credentials and region`;
  } else if (network !== undefined) {
    problem = `the service is unreachable (${network})`;
  } else if (isRefusalStatus(httpStatusOf(error))) {
    // An answer the SDK could not parse (an XML <ErrorResponse> from a proxy or an emulator where
    // Secrets Manager speaks JSON) loses its error class, but a 401/403 is still a refusal.
    problem = `the service refused the request (HTTP ${httpStatusOf(error)}, ${kind}): check the AWS credentials and region, and that the caller may secretsmanager:GetSecretValue on the secret`;
  } else {
    problem = `the read failed (${kind})`;
  }
  return new SecretsBackendError(`aws secrets backend: ${problem}, reading "${secretName}".`, {
    backend: 'aws',
    secretName,
    // Only the class name, code and HTTP status: the SDK error carries `$metadata`, `$response`
    // and, for some failures, the signed request.
    cause: summarizeError(error),
  });
}
