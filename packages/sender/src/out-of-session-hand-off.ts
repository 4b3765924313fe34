import { MAXIMUM_ACCESS_TOKEN_LENGTH, Secret, SUBJECT_TOKEN_HEADER } from '@dual-auth/core';
import type { OutOfSessionActOptions } from './hybrid-sender-options.ts';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Options of {@link HybridSender.prepareOutOfSessionHandOff}: those of the act JWT, and the human's
 * access token for an agent in exchange mode.
 *
 * @example
 * ```ts
 * const options: OutOfSessionHandOffOptions = { agentEndpoint: 'https://agent.example.com/invoke', subjectToken: new Secret(session.accessToken) };
 * ```
 */
export interface OutOfSessionHandOffOptions extends OutOfSessionActOptions {
  /**
   * The human's access token, for an agent that exchanges it (`DUAL_AUTH_MODE=exchange`): sent in
   * the `X-Subject-Token` header, never in the act JWT or the URL. Prefer a token whose audience is
   * the agent and whose lifetime is minutes (docs/token-exchange.md).
   */
  readonly subjectToken?: Secret | undefined;
}

// RFC 6750 §2.1 b64token: what a bearer token may hold, and nothing that could split a header.
const bearerTokenShape = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Checks a subject token before it is put in a header; messages never hold its value. */
function checkSubjectToken(subjectToken: unknown, agentEndpoint: string): Secret | undefined {
  if (subjectToken === undefined) return undefined;
  if (!(subjectToken instanceof Secret)) {
    throw new TypeError('prepareOutOfSessionHandOff: subjectToken must be a Secret (never a plain string)');
  }
  const value = subjectToken.reveal();
  if (value.length === 0 || value.length > MAXIMUM_ACCESS_TOKEN_LENGTH || !bearerTokenShape.test(value)) {
    throw new TypeError('prepareOutOfSessionHandOff: subjectToken is not a bearer token (RFC 6750 b64token)');
  }
  if (agentEndpoint.includes(value)) {
    throw new TypeError(
      'prepareOutOfSessionHandOff: agentEndpoint holds the subject token (never put it in a URL)',
    );
  }
  return subjectToken;
}

/**
 * What the application sends a remote agent: the signed act JWT in a JSON body (`{ "act_jwt": … }`,
 * as the Python reference's agents read it) and, for an agent in exchange mode, the human's access
 * token in the `X-Subject-Token` header. `JSON.stringify` and `util.inspect` show the subject token
 * as `[REDACTED]`; only {@link OutOfSessionHandOff.requestInit} puts its value on the wire.
 *
 * @example
 * ```ts
 * const handOff = await sender.prepareOutOfSessionHandOff(act, { agentEndpoint, subjectToken: new Secret(session.accessToken) });
 * const response = await fetch(handOff.url, handOff.requestInit());
 * ```
 */
export class OutOfSessionHandOff {
  /** The agent endpoint, normalised as the act JWT's `aud`. */
  readonly url: string;
  /** The signed act JWT: the human's id and the delegation, never the subject token. */
  readonly actJwt: string;
  /** The human's access token, when the agent exchanges it. */
  readonly subjectToken: Secret | undefined;

  /**
   * Built by {@link HybridSender.prepareOutOfSessionHandOff}; throws `TypeError` for a subject token
   * that is not a `Secret` holding a bearer token, or that `url` contains.
   */
  constructor(init: { url: string; actJwt: string; subjectToken?: Secret | undefined }) {
    this.url = init.url;
    this.actJwt = init.actJwt;
    this.subjectToken = checkSubjectToken(init.subjectToken, init.url);
    Object.freeze(this);
  }

  /**
   * A `fetch` init for the agent endpoint: `POST`, JSON body with `act_jwt`, and the subject token
   * in its header. Hand it straight to `fetch`; do not log it (it holds the token).
   *
   * @example
   * ```ts
   * await fetch(handOff.url, handOff.requestInit());
   * ```
   */
  requestInit(): RequestInit & { method: 'POST'; headers: Headers; body: string } {
    const headers = new Headers({ 'content-type': 'application/json' });
    if (this.subjectToken !== undefined) headers.set(SUBJECT_TOKEN_HEADER, this.subjectToken.reveal());
    return { method: 'POST', headers, body: JSON.stringify({ act_jwt: this.actJwt }) };
  }

  /** What `JSON.stringify` shows: the subject token as `[REDACTED]`. */
  toJSON(): { url: string; actJwt: string; subjectToken: Secret | undefined } {
    return { url: this.url, actJwt: this.actJwt, subjectToken: this.subjectToken };
  }

  [inspectSymbol](): string {
    return `OutOfSessionHandOff ${JSON.stringify(this.toJSON())}`;
  }
}
