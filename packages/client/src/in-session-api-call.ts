import {
  ACT_ASSERTION_HEADER,
  ApiCallError,
  checkUrlPolicy,
  type DualAuthConfig,
  type Logger,
  redactText,
  summarizeError,
  type TokenResponse,
} from '@dual-auth/core';
import { resolveInsecureLoopback } from '@dual-auth/core/config';
import { silentLogger } from '@dual-auth/core/logging';
import { parseRateLimitWait } from '@dual-auth/core/oauth';
import ky, { isNetworkError, isTimeoutError } from 'ky';
import { refuseRenamedOptions } from './internal/refuse-renamed-options.ts';

/**
 * Options of {@link InSessionAPICall} and {@link OutOfSessionAPICall}. Every duration is in seconds
 * (fractions allowed).
 *
 * @example
 * ```ts
 * const options: APICallOptions = { timeoutSeconds: 10, retries: 3, maxRetryDelaySeconds: 5 };
 * ```
 */
export interface APICallOptions {
  /** Longest wait for one attempt's response, seconds (default 30, as in the reference). */
  readonly timeoutSeconds?: number;
  /** Retries after the first attempt, for idempotent methods only (default 2, at most 10). */
  readonly retries?: number;
  /** First backoff delay, seconds; doubled per retry, with jitter (default 0.3). */
  readonly retryBaseDelaySeconds?: number;
  /**
   * Longest backoff delay, and longest server-asked wait honoured (`Retry-After`, or a 429's
   * `X-RateLimit-Reset` / `X-Rate-Limit-Reset` in epoch seconds), seconds (default 30).
   */
  readonly maxRetryDelaySeconds?: number;
  /** Accept `http:` on a loopback host (tests and demos only); overrides `config.allowInsecureLoopback`. */
  readonly allowInsecureLoopback?: boolean;
  /**
   * The configuration from `getConfig()`: its `allowInsecureLoopback`
   * (`DUAL_AUTH_ALLOW_INSECURE_LOOPBACK`) applies unless the option above is given.
   */
  readonly config?: Pick<DualAuthConfig, 'allowInsecureLoopback'>;
  /** `fetch` implementation (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
  readonly logger?: Logger;
}

/**
 * One API call.
 *
 * @example
 * ```ts
 * const call: CallApiParams = { method: 'POST', url: 'https://api.example.com/summaries', tokenResponse, json: summary };
 * ```
 */
export interface CallApiParams {
  /** HTTP method, e.g. `GET` or `POST`. */
  readonly method: string;
  /** The API URL: https (loopback http only with `allowInsecureLoopback`). */
  readonly url: string | URL;
  /** The dual-subject token (and, in hybrid mode, its act assertion). */
  readonly tokenResponse: TokenResponse;
  /** Query parameters added to `url`. */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  /** A JSON body. */
  readonly json?: unknown;
  /** Extra headers; `Authorization` and `X-Act-Assertion` are always set by the call. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
const MAXIMUM_RETRIES = 10;
const methodPattern = /^[A-Za-z]{1,16}$/;

function positive(value: number | undefined, fallback: number, name: string, maximum: number): number {
  const result = value ?? fallback;
  if (!Number.isFinite(result) || result < 0 || result > maximum) {
    throw new TypeError(`${name} must be between 0 and ${maximum}`);
  }
  return result;
}

// ky's errors hold the Request (its Authorization header, its query string): keep only the class
// and the system error code (ECONNREFUSED…) of the deepest cause.
function transportCause(error: unknown): Error {
  let root: unknown = error;
  for (let depth = 0; depth < 5 && root instanceof Error && root.cause !== undefined; depth++)
    root = root.cause;
  return summarizeError(root);
}

// Errors and logs name the endpoint, and a path can carry personal data (/users/alice@example.com,
// also percent-encoded): each segment is masked on its own so the origin and the rest stay readable.
function loggableEndpoint(url: URL): string {
  const path = url.pathname
    .split('/')
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // not percent-encoded UTF-8: masked as written
      }
      const masked = redactText(decoded);
      return masked === decoded ? segment : masked;
    })
    .join('/');
  return `${url.origin}${path}`;
}

// The refused URL as far as it is safe to show: origin and masked path, never the query string.
function refusedUrlLabel(value: string | URL): string {
  try {
    const url = new URL(value);
    return url.username === '' && url.password === '' ? `${loggableEndpoint(url)} ` : '';
  } catch {
    return '';
  }
}

/**
 * Calls an API with a dual-subject token: `Authorization: Bearer`, plus `X-Act-Assertion` when the
 * token travels with an act assertion (hybrid mode). https only; a timeout on every attempt;
 * idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) retried on 429, 5xx and network errors with
 * exponential backoff and jitter, honouring `Retry-After` (or a 429's epoch-seconds rate-limit reset) up to a cap; other methods never retried.
 * Redirects are not followed, so credentials never travel to another origin. Resolves the final
 * `Response` whatever its status; rejects with `ApiCallError` when no response came.
 *
 * @example
 * ```ts
 * const api = new InSessionAPICall({ timeoutSeconds: 30, config }); // config from getConfig()
 * const response = await api.callApi({ method: 'GET', url: config.apiUrl ?? 'https://api.example.com/report', tokenResponse, params: { quarter: 'Q4' } });
 * if (response.status === 200) console.log(await response.json());
 * ```
 */
export class InSessionAPICall {
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryBaseDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #allowInsecureLoopback: boolean;
  readonly #fetch: typeof globalThis.fetch | undefined;
  readonly #logger: Logger;

  constructor(options: APICallOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    refuseRenamedOptions(
      options,
      {
        retryBaseDelayMs: 'retryBaseDelaySeconds (seconds)',
        maxRetryDelayMs: 'maxRetryDelaySeconds (seconds)',
      },
      'InSessionAPICall',
    );
    this.#timeoutMs = positive(options.timeoutSeconds, 30, 'timeoutSeconds', 600) * 1000;
    if (this.#timeoutMs === 0) throw new TypeError('timeoutSeconds must be more than 0');
    this.#retries = positive(options.retries, 2, 'retries', MAXIMUM_RETRIES);
    if (!Number.isInteger(this.#retries)) throw new TypeError('retries must be an integer');
    this.#retryBaseDelayMs = positive(options.retryBaseDelaySeconds, 0.3, 'retryBaseDelaySeconds', 60) * 1000;
    this.#maxRetryDelayMs = positive(options.maxRetryDelaySeconds, 30, 'maxRetryDelaySeconds', 600) * 1000;
    this.#allowInsecureLoopback = resolveInsecureLoopback(options, 'InSessionAPICall');
    if (options.fetch !== undefined && typeof options.fetch !== 'function')
      throw new TypeError('fetch must be a function');
    this.#fetch = options.fetch;
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * Sends one API request (with retries where safe) and resolves its final `Response`. Rejects with
   * `ApiCallError` when no response came; its `endpoint` is the origin and path, with email-like
   * path segments masked.
   *
   * @example
   * ```ts
   * const response = await api.callApi({ method: 'POST', url: 'https://api.example.com/summaries', tokenResponse, json: { quarter: 'Q4' } });
   * ```
   */
  async callApi(call: CallApiParams): Promise<Response> {
    if (call === null || typeof call !== 'object') throw new TypeError('callApi needs parameters');
    if (typeof call.method !== 'string' || !methodPattern.test(call.method)) {
      throw new TypeError('method must be an HTTP method name');
    }
    const tokenResponse = call.tokenResponse;
    if (
      tokenResponse === null ||
      typeof tokenResponse !== 'object' ||
      typeof tokenResponse.accessToken !== 'string'
    ) {
      throw new TypeError('tokenResponse must be a TokenResponse');
    }
    const method = call.method.toUpperCase();
    const policy = checkUrlPolicy(call.url, { allowInsecureLoopback: this.#allowInsecureLoopback });
    if (!policy.ok)
      throw new ApiCallError(`API URL ${refusedUrlLabel(call.url)}${policy.problem}`, { method });
    const url = policy.url;
    for (const [name, value] of Object.entries(call.params ?? {}))
      url.searchParams.append(name, String(value));
    const endpoint = loggableEndpoint(url);

    const headers = new Headers(call.headers);
    headers.set('authorization', `Bearer ${tokenResponse.accessToken}`);
    const actAssertion = tokenResponse.actAssertion;
    if (actAssertion === undefined) headers.delete(ACT_ASSERTION_HEADER);
    else headers.set(ACT_ASSERTION_HEADER, actAssertion);

    const retries = IDEMPOTENT_METHODS.has(method) ? this.#retries : 0;
    const backoff = (attempt: number) => {
      const ceiling = Math.min(this.#maxRetryDelayMs, this.#retryBaseDelayMs * 2 ** (attempt - 1));
      // "Equal jitter": never less than half the backoff, so retries stay spaced out.
      return ceiling / 2 + Math.random() * (ceiling / 2);
    };
    const logger = this.#logger;

    try {
      return await ky(url, {
        method,
        headers,
        ...(call.json === undefined ? {} : { json: call.json }),
        ...(call.signal === undefined ? {} : { signal: call.signal }),
        ...(this.#fetch === undefined ? {} : { fetch: this.#fetch }),
        redirect: 'manual',
        timeout: this.#timeoutMs,
        throwHttpErrors: false,
        retry: {
          limit: retries,
          methods: [...IDEMPOTENT_METHODS].map((name) => name.toLowerCase()),
          statusCodes: [],
          retryOnTimeout: true,
          delay: (attempt) => backoff(attempt),
          jitter: (delay) => delay,
        },
        hooks: {
          afterResponse: [
            ({ response, retryCount }) => {
              if (retryCount >= retries || !RETRY_STATUSES.has(response.status)) return;
              const serverDelay = parseRateLimitWait(response, Date.now());
              const delay =
                serverDelay === undefined
                  ? backoff(retryCount + 1)
                  : Math.min(serverDelay, this.#maxRetryDelayMs);
              logger.info('API call retried', {
                method,
                endpoint,
                status: response.status,
                delayMs: Math.round(delay),
              });
              return ky.retry({ delay, code: `STATUS_${response.status}` });
            },
          ],
        },
      });
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      const what = isTimeoutError(error)
        ? 'timed out'
        : isNetworkError(error)
          ? 'failed in transport'
          : 'failed before a response arrived';
      logger.warn('API call failed', { method, endpoint, failure: what });
      throw new ApiCallError(`${method} ${endpoint} ${what}`, {
        method,
        endpoint,
        cause: transportCause(error),
      });
    }
  }
}
