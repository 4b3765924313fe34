import { type Clock, systemClock } from './clock.ts';
import { TokenRequestError } from './errors.ts';
import { resolveTokenRequestOptions } from './internal/resolve-token-request-options.ts';
import { type Logger, silentLogger } from './logger.ts';
import { tokenResponseFromBody } from './oauth-responses.ts';
import { parseRateLimitWait } from './parse-rate-limit-wait.ts';
import { readLimitedText } from './read-limited-text.ts';
import { tokenRequestErrorFromResponse } from './token-request-error-from-response.ts';
import type { TokenResponse } from './token-response.ts';

/**
 * How {@link postTokenRequest} retries 429, 5xx, timeouts and network failures.
 *
 * @example
 * ```ts
 * const retry: TokenRequestRetryOptions = { limit: 3, baseDelayMs: 100, maxDelayMs: 10_000 };
 * ```
 */
export interface TokenRequestRetryOptions {
  /** Retries after the first attempt, 0–10 (default 2). */
  readonly limit?: number;
  /** First backoff delay in ms, doubled per retry, with jitter (default 200). */
  readonly baseDelayMs?: number;
  /**
   * Longest wait before a retry, in ms, for backoff and the IdP's own wait (`Retry-After`, or a 429's
   * rate-limit reset) alike; an IdP asking for longer ends the retries (default 5000).
   */
  readonly maxDelayMs?: number;
}

/**
 * The body and headers of one attempt; built again for every retry, so assertions are never reused.
 *
 * @example
 * ```ts
 * const attempt: TokenRequestAttempt = { body: new URLSearchParams({ grant_type: 'client_credentials' }), headers: { authorization } };
 * ```
 */
export interface TokenRequestAttempt {
  /** Sent as `application/x-www-form-urlencoded`, or as JSON when a plain object. */
  readonly body: URLSearchParams | Readonly<Record<string, string>>;
  /** Extra headers (e.g. `authorization` for `client_secret_basic`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Options of {@link postTokenRequest}.
 *
 * @example
 * ```ts
 * const options: PostTokenRequestOptions = { tokenEndpoint, createAttempt, timeoutMs: 5000 };
 * ```
 */
export interface PostTokenRequestOptions {
  /** The token endpoint, already checked against the URL policy. */
  readonly tokenEndpoint: string;
  /** Builds each attempt's body and headers. */
  readonly createAttempt: () => TokenRequestAttempt | Promise<TokenRequestAttempt>;
  /** The `fetch` to use (default the global one). */
  readonly fetch?: typeof globalThis.fetch;
  /** Per-attempt timeout in ms, response body included (default 10000). */
  readonly timeoutMs?: number;
  readonly retry?: TokenRequestRetryOptions;
  /** Aborts the request and its retries; the signal's reason is thrown. */
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * Largest token-endpoint response body read, in bytes: a token response is a few KiB.
 *
 * @example
 * ```ts
 * const text = await readLimitedText(response, MAXIMUM_TOKEN_RESPONSE_BYTES);
 * ```
 */
export const MAXIMUM_TOKEN_RESPONSE_BYTES = 64 * 1024;

const retryableStatuses: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

type AttemptOutcome =
  | { readonly kind: 'done'; readonly tokenResponse: TokenResponse }
  | { readonly kind: 'retry'; readonly error: TokenRequestError; readonly waitMs: number | undefined };

function invalidResponse(message: string, status: number): TokenRequestError {
  return new TokenRequestError(message, { status, oauthError: 'invalid_response' });
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * POSTs a client-credentials request to a token endpoint and returns the validated
 * {@link TokenResponse}: per-attempt timeout, response bodies read up to 64 KiB, retries on 429,
 * 5xx, timeouts and network failures with exponential backoff and jitter (honouring the wait the IdP
 * asks for, up to `maxDelayMs`: `Retry-After` seconds or HTTP-date, else on a 429 the vendor's reset
 * time, Auth0 `x-ratelimit-reset` or Okta `X-Rate-Limit-Reset`, measured with the injected clock; a
 * longer wait ends the retries), and every refusal mapped
 * to a {@link TokenRequestError}. Other 4xx answers are never retried. Each attempt is built anew
 * by `createAttempt`, so a client assertion's `jti` is never sent twice.
 *
 * @example
 * ```ts
 * const tokenResponse = await postTokenRequest({
 *   tokenEndpoint: config.tokenUrl,
 *   createAttempt: () => ({
 *     body: new URLSearchParams({ grant_type: 'client_credentials', client_id, client_secret: secret.reveal() }),
 *   }),
 *   timeoutMs: 5000,
 *   retry: { limit: 2 },
 * });
 * ```
 * @throws {TokenRequestError} with `status`, `oauthError`, `vendorCode`, `retryAfterSeconds`.
 */
export async function postTokenRequest(options: PostTokenRequestOptions): Promise<TokenResponse> {
  const { limit, baseDelayMs, maxDelayMs, timeoutMs } = resolveTokenRequestOptions(options);
  const logger = options.logger ?? silentLogger;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const outcome = await attemptOnce(options, timeoutMs);
    if (outcome.kind === 'done') return outcome.tokenResponse;
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const waitMs = outcome.waitMs ?? backoff / 2 + Math.random() * (backoff / 2);
    if (attempt > limit || waitMs > maxDelayMs) throw outcome.error;
    logger.debug('token request will be retried', {
      attempt,
      status: outcome.error.status,
      oauthError: outcome.error.oauthError,
      delayMs: Math.round(waitMs),
    });
    await sleep(waitMs, options.signal);
  }
}

async function attemptOnce(options: PostTokenRequestOptions, timeoutMs: number): Promise<AttemptOutcome> {
  const clock = options.clock ?? systemClock;
  const fetchFunction = options.fetch ?? globalThis.fetch;
  const { body, headers } = await options.createAttempt();
  const isForm = body instanceof URLSearchParams;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  let response: Response;
  let text: string;
  // The token's lifetime counts from when the IdP issued it, at the latest when we sent the request:
  // sampling after the answer would overstate expiresAt by the round trip.
  const sentAt = clock();
  try {
    response = await fetchFunction(options.tokenEndpoint, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json',
        ...headers,
      },
      body: isForm ? body.toString() : JSON.stringify(body),
      signal,
      redirect: 'error',
    });
  } catch (error) {
    return transportFailure(error, options.signal, timeout, timeoutMs);
  }
  const { status } = response;
  try {
    text = await readLimitedText(response, MAXIMUM_TOKEN_RESPONSE_BYTES);
  } catch (error) {
    if (!(error instanceof RangeError)) return transportFailure(error, options.signal, timeout, timeoutMs);
    const tooLarge = invalidResponse(
      `The IdP's token response (HTTP ${status}) is larger than ${MAXIMUM_TOKEN_RESPONSE_BYTES} bytes.`,
      status,
    );
    if (!retryableStatuses.has(status)) throw tooLarge;
    return { kind: 'retry', error: tooLarge, waitMs: undefined };
  }
  if (status >= 200 && status < 300) {
    return { kind: 'done', tokenResponse: parseSuccess(response, text, sentAt) };
  }
  const waitMs = parseRateLimitWait(response, clock());
  const error = tokenRequestErrorFromResponse(status, response.headers, text, {
    ...(waitMs === undefined ? {} : { retryAfterSeconds: Math.ceil(waitMs / 1000) }),
  });
  if (!retryableStatuses.has(status)) throw error;
  return { kind: 'retry', error, waitMs };
}

function transportFailure(
  error: unknown,
  callerSignal: AbortSignal | undefined,
  timeout: AbortSignal,
  timeoutMs: number,
): AttemptOutcome {
  if (callerSignal?.aborted) throw callerSignal.reason;
  const timedOut = timeout.aborted;
  const message = timedOut
    ? `The IdP did not answer the token request within ${timeoutMs} ms.`
    : 'The token request could not reach the IdP (connection failed or was cut).';
  return {
    kind: 'retry',
    error: new TokenRequestError(message, {
      oauthError: timedOut ? 'timeout' : 'network_error',
      cause: error,
    }),
    waitMs: undefined,
  };
}

function parseSuccess(response: Response, text: string, sentAt: number): TokenResponse {
  const contentType = response.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    throw invalidResponse(
      `The IdP's token response is not JSON (content type ${contentType.slice(0, 64) || 'missing'}).`,
      response.status,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // The parser's message quotes the body, which may hold a token: no cause.
    throw invalidResponse("The IdP's token response is not valid JSON.", response.status);
  }
  try {
    return tokenResponseFromBody(body, { receivedAt: sentAt });
  } catch (error) {
    if (error instanceof TokenRequestError) {
      throw new TokenRequestError(error.message, { status: response.status, oauthError: 'invalid_response' });
    }
    throw error;
  }
}
