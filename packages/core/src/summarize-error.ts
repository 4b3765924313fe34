// Only words that cannot carry request data: class names and codes such as ECONNRESET, Forbidden.
const word = /^[\w.-]{1,64}$/;

function field(value: unknown): string | undefined {
  return typeof value === 'string' && word.test(value) ? value : undefined;
}

/**
 * A stand-in for an SDK or HTTP client error that keeps only its class name, `code` and HTTP
 * status (`statusCode`, `status` or `response.statusCode`), as a new `Error` whose message is
 * those three words. Keep it as the `cause` of a dual-auth error when the original carries the
 * request (axios and Azure errors hold the headers, and so the bearer token) or a response body.
 *
 * @example
 * ```ts
 * catch (error) {
 *   throw new SecretsBackendError('vault secrets backend: the read failed.', { backend: 'vault', cause: summarizeError(error) });
 * }
 * ```
 */
export function summarizeError(
  error: unknown,
): Error & { readonly code?: string; readonly statusCode?: number } {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as {
    readonly name?: unknown;
    readonly code?: unknown;
    readonly statusCode?: unknown;
    readonly status?: unknown;
    readonly response?: { readonly statusCode?: unknown };
  };
  const name = field(shape.name) ?? 'Error';
  const code = field(shape.code);
  const status = [shape.statusCode, shape.status, shape.response?.statusCode].find(
    (candidate): candidate is number => typeof candidate === 'number' && Number.isInteger(candidate),
  );
  const summary = new Error([name, status, code].filter((part) => part !== undefined).join(' '));
  return Object.assign(summary, {
    name,
    ...(code === undefined ? {} : { code }),
    ...(status === undefined ? {} : { statusCode: status }),
  });
}
