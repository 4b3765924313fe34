import {
  type Act,
  ActVerificationError,
  type ActVerificationFailure,
  MAXIMUM_ACCESS_TOKEN_LENGTH,
  resolveTimeOptions,
  Secret,
  SUBJECT_TOKEN_HEADER,
  type TimeOptions,
} from '@dual-auth/core';
import { decodeUnverifiedJws } from '@dual-auth/core/jose';

/**
 * The request headers a subject token is read from: a web `Headers` or Node's `request.headers`.
 *
 * @example
 * ```ts
 * const headers: SubjectTokenHeaders = request.headers;
 * ```
 */
export type SubjectTokenHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Reads the subject token a remote agent received beside an act JWT (the `X-Subject-Token`
 * header) into a {@link Secret} at once, and checks it without verifying its signature: a JWT
 * whose `aud` names this agent, that has not expired, that lives no longer than allowed, and that
 * names the act JWT's human (`sub`, Okta's `uid` or Entra ID's `oid` = `act.sub`). The IdP verifies
 * the signature when the agent exchanges it. Throws `ActVerificationError` naming the failed check.
 *
 * @example
 * ```ts
 * const { act } = await tokenRequest.receiveAndVerifyActJwt(body.act_jwt);
 * const subjectToken: Secret = receiveSubjectToken(request.headers, act);
 * ```
 */
export type SubjectTokenReceiver = (headers: SubjectTokenHeaders, act: Act) => Secret;

/**
 * Options of {@link createSubjectTokenReceiver}.
 *
 * @example
 * ```ts
 * const options: SubjectTokenReceiverOptions = { audience: 'finance-agent', maxLifetimeSeconds: 300 };
 * ```
 */
export interface SubjectTokenReceiverOptions extends TimeOptions {
  /**
   * What the subject token's `aud` must name (one of them): this agent, as its IdP binds it —
   * Keycloak and Entra ID the agent's client id, Auth0 the agent's own API identifier; Okta binds no
   * agent into the human's token, so there it is the authorization server's audience.
   */
  readonly audience: string | readonly string[];
  /**
   * Longest subject token accepted, seconds: `exp - iat`, and `exp` from now (default 900, at most
   * 86,400). Keep it as short as the IdP allows: the token is a bearer credential for the human.
   */
  readonly maxLifetimeSeconds?: number;
}

const DEFAULT_MAX_LIFETIME_SECONDS = 900;
const MAX_LIFETIME_LIMIT_SECONDS = 86_400;

function refuse(reason: ActVerificationFailure, problem: string): never {
  throw new ActVerificationError(reason, `subject token refused: ${problem}`);
}

function headerValue(headers: SubjectTokenHeaders): string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    return headers.get(SUBJECT_TOKEN_HEADER) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const name = SUBJECT_TOKEN_HEADER.toLowerCase();
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  if (Array.isArray(value)) {
    if (value.length !== 1) refuse('malformed', `more than one ${SUBJECT_TOKEN_HEADER} header`);
    return value[0];
  }
  return value as string | undefined;
}

/** The strings of an `aud` claim (a string or an array of strings). */
const audiencesOf = (aud: unknown): readonly string[] =>
  typeof aud === 'string'
    ? [aud]
    : Array.isArray(aud)
      ? aud.filter((item): item is string => typeof item === 'string')
      : [];

/**
 * Builds a {@link SubjectTokenReceiver}; throws `TypeError` for a missing `audience` or a
 * `maxLifetimeSeconds` outside 1–86,400.
 *
 * @example
 * ```ts
 * const receiveSubjectToken = createSubjectTokenReceiver({ audience: 'finance-agent' });
 * const { act } = await tokenRequest.receiveAndVerifyActJwt(body.act_jwt);
 * const subjectToken = receiveSubjectToken(request.headers, act);
 * const tokenResponse = await tokenRequest.requestToken({ agentId: 'finance-agent', act, subjectToken });
 * ```
 */
export function createSubjectTokenReceiver(options: SubjectTokenReceiverOptions): SubjectTokenReceiver {
  if (options === null || typeof options !== 'object') throw new TypeError('options are required');
  const { clock, clockSkewSeconds } = resolveTimeOptions(options);
  const audiences = typeof options.audience === 'string' ? [options.audience] : options.audience;
  if (
    !Array.isArray(audiences) ||
    audiences.length === 0 ||
    audiences.some((item) => typeof item !== 'string' || item.trim() === '')
  ) {
    throw new TypeError('audience must be a non-empty string or a non-empty list of them');
  }
  const accepted = new Set(audiences);
  const maxLifetimeSeconds = options.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  if (
    !Number.isInteger(maxLifetimeSeconds) ||
    maxLifetimeSeconds < 1 ||
    maxLifetimeSeconds > MAX_LIFETIME_LIMIT_SECONDS
  ) {
    throw new TypeError(`maxLifetimeSeconds must be an integer from 1 to ${MAX_LIFETIME_LIMIT_SECONDS}`);
  }

  return (headers, act) => {
    if (headers === null || typeof headers !== 'object') throw new TypeError('headers are required');
    if (act === null || typeof act !== 'object' || typeof act.sub !== 'string') {
      throw new TypeError('act must be the verified act JWT’s act');
    }
    const raw = headerValue(headers);
    if (raw === undefined || raw === '') refuse('malformed', `no ${SUBJECT_TOKEN_HEADER} header`);
    // Held as a Secret from here on: nothing below puts the value or a claim of it into a message.
    const subjectToken = new Secret(raw.trim());
    const value = subjectToken.reveal();
    if (value.length > MAXIMUM_ACCESS_TOKEN_LENGTH) refuse('too_large', 'longer than an access token may be');
    // A JWT has no comma or space: `Headers.get` joins repeated headers with ", ".
    if (/[\s,]/.test(value)) refuse('malformed', `more than one ${SUBJECT_TOKEN_HEADER} header`);
    const decoded = decodeUnverifiedJws(value);
    if (!decoded.ok) refuse('malformed', 'not a JWT, so its audience and lifetime cannot be checked');
    const claims = decoded.payload;
    const { exp, iat } = claims;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) refuse('malformed', 'no exp');
    const now = Math.floor(clock() / 1000);
    if (exp <= now - clockSkewSeconds) refuse('expired', 'expired');
    if (!audiencesOf(claims.aud).some((item) => accepted.has(item))) {
      refuse('audience_invalid', 'its aud does not name this agent');
    }
    if (typeof iat === 'number' && exp - iat > maxLifetimeSeconds) {
      refuse('lifetime_too_long', `it lives longer than ${maxLifetimeSeconds} s (exp - iat)`);
    }
    if (exp - now > maxLifetimeSeconds + clockSkewSeconds) {
      refuse('lifetime_too_long', `it expires more than ${maxLifetimeSeconds} s from now`);
    }
    if (![claims.sub, claims.uid, claims.oid].includes(act.sub)) {
      refuse('binding_invalid', 'it names another human than the act JWT');
    }
    return subjectToken;
  };
}
