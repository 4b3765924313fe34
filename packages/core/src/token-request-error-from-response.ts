import * as v from 'valibot';
import { TokenRequestError } from './errors.ts';
import { oauthErrorResponseSchema } from './oauth-responses.ts';
import { parseRateLimitWait } from './parse-rate-limit-wait.ts';
import { redactText } from './redact.ts';

// An IdP's description reaches operators through the message, so it is bounded, cleaned and redacted.
const maximumDescriptionLength = 200;

function cleanDescription(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const firstLine = redactText(text.split(/\r?\n/)[0] ?? '')
    .replace(/\p{Cc}/gu, ' ')
    .trim();
  if (firstLine === '') return undefined;
  return firstLine.length > maximumDescriptionLength
    ? `${firstLine.slice(0, maximumDescriptionLength)}…`
    : firstLine;
}

function parseJsonObject(bodyText: string): unknown {
  try {
    return JSON.parse(bodyText) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Maps an IdP's refusal (status, headers and body text of a non-2xx token-endpoint answer) to a
 * {@link TokenRequestError}: the OAuth `error`, the vendor's code (Entra `AADSTSnnnn` from
 * `error_codes` or the description, Okta `errorCode`), the wait the IdP asks for in whole seconds
 * (`Retry-After`, else on a 429 Auth0's `x-ratelimit-reset` or Okta's `X-Rate-Limit-Reset`, from the
 * system clock unless `options.retryAfterSeconds` gives it), Entra's `suberror` as `subError` and
 * `claims` challenge as `claimsChallenge` (each dropped alone when malformed), and a message with the
 * status and a cleaned, redacted, shortened description — never the request that was refused, never
 * the claims challenge.
 *
 * @example
 * ```ts
 * if (!response.ok) throw tokenRequestErrorFromResponse(response.status, response.headers, await response.text());
 * // 400 {"error":"interaction_required","suberror":"basic_action","claims":"{\"access_token\":…}"}
 * // → error.oauthError 'interaction_required', error.subError 'basic_action', error.claimsChallenge '{"access_token":…}'
 * ```
 */
export function tokenRequestErrorFromResponse(
  status: number,
  headers: Headers,
  bodyText: string,
  options: { retryAfterSeconds?: number; cause?: unknown } = {},
): TokenRequestError {
  const parsed = v.safeParse(oauthErrorResponseSchema, parseJsonObject(bodyText));
  const body = parsed.success ? parsed.output : {};
  const description = cleanDescription(body.error_description ?? body.errorSummary);
  const aadsts =
    body.error_codes?.[0] === undefined
      ? /\bAADSTS(\d{1,10})\b/.exec(body.error_description ?? '')?.[1]
      : String(body.error_codes[0]);
  const vendorCode = aadsts === undefined ? body.errorCode : `AADSTS${aadsts}`;
  const oauthError = body.error ?? (status === 429 ? 'rate_limited' : undefined);
  const waitMs =
    options.retryAfterSeconds === undefined ? parseRateLimitWait({ status, headers }, Date.now()) : undefined;
  const retryAfterSeconds =
    options.retryAfterSeconds ?? (waitMs === undefined ? undefined : Math.ceil(waitMs / 1000));
  const detail = [oauthError, vendorCode, body.suberror].filter((part) => part !== undefined).join(' ');
  const message = `The IdP refused the token request: HTTP ${status}${detail === '' ? '' : ` ${detail}`}${
    description === undefined ? '' : ` (${description})`
  }.`;
  return new TokenRequestError(message, {
    status,
    ...(oauthError === undefined ? {} : { oauthError }),
    ...(vendorCode === undefined ? {} : { vendorCode }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    ...(body.suberror === undefined ? {} : { subError: body.suberror }),
    ...(body.claims === undefined ? {} : { claimsChallenge: body.claims }),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}
