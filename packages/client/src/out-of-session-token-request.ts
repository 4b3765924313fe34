import {
  ACT_JWT_LIFETIME_SECONDS,
  type DualAuthConfig,
  type ReplayStore,
  resolveTimeOptions,
  type TimeOptions,
  type TokenResponse,
} from '@dual-auth/core';
import { resolveInsecureLoopback } from '@dual-auth/core/config';
import {
  createRemoteKeySource,
  importVerificationKey,
  isKeyImportFailure,
  type JwksOptions,
  type JwsAlgorithm,
  type KeySource,
  SUPPORTED_JWS_ALGORITHMS,
  staticKeySource,
} from '@dual-auth/core/jose';
import { createMemoryReplayStore } from './create-memory-replay-store.ts';
import { DualSubjectTokenRequest } from './internal/dual-subject-token-request.ts';
import {
  describeKeyFailure,
  type PublicJwk,
  publicJwkFromFile,
  publicJwkFromPem,
  publicJwkSync,
} from './internal/load-public-key.ts';
import { loggableSubject } from './internal/loggable-subject.ts';
import { refuseRenamedOptions } from './internal/refuse-renamed-options.ts';
import { verifyActJwt } from './internal/verify-act-jwt.ts';
import type { PublicKeyInput } from './public-key-input.ts';
import type { TokenRequestOptions } from './token-request-options.ts';
import type { VerifiedActJwt } from './verified-act-jwt.ts';

/**
 * Options of {@link OutOfSessionTokenRequest}: those of every token request, plus how act JWTs are
 * checked, in the verifier's words (`keys`/`jwksUri`, `issuer`, `audience`, `algorithms`, `jwks`).
 * Give exactly one of `keys`, `keyPath` and `jwksUri`.
 *
 * @example
 * ```ts
 * const options: OutOfSessionTokenRequestOptions = { adapter, jwksUri: 'https://app.example.com/.well-known/jwks.json', issuer: 'https://app.example.com', audience: 'https://agent.example.com/invoke' };
 * ```
 */
export interface OutOfSessionTokenRequestOptions extends TokenRequestOptions, TimeOptions {
  /** The application's public key: PEM (SPKI or certificate), a public JWK, or a Node `KeyObject`. */
  readonly keys?: PublicKeyInput;
  /** A file holding the application's PEM public key (`APP_PUBLIC_KEY_PATH`). */
  readonly keyPath?: string;
  /** The application's JWKS URL (https; keys chosen by `kid`). */
  readonly jwksUri?: string;
  /** The application's id (`APP_ID`): the act JWT's `iss` must equal it exactly. */
  readonly issuer: string;
  /** This agent's endpoint (`AGENT_ENDPOINT`): the act JWT's `aud` must equal it exactly. */
  readonly audience: string;
  /** Records used `jti`s (default: in-memory; use `@dual-auth/store-redis` across replicas). */
  readonly replayStore?: ReplayStore;
  /** Narrows the algorithms the key's type allows (default: all of them; HMAC and `none` never). */
  readonly algorithms?: readonly JwsAlgorithm[];
  /** Longest act-JWT lifetime accepted (`exp - iat`), 1–300 s (default 300). */
  readonly maxLifetimeSeconds?: number;
  /**
   * Also accept `typ` `JWT` or no `typ` (default `false`: only `act+jwt`). Every other check still
   * applies, `sub` = `act.sub` included: for the Python reference's act JWTs use
   * `acceptPythonReferenceActJwt`.
   */
  readonly acceptUntypedActJwt?: boolean;
  /**
   * Also accept act JWTs exactly as the Python reference dual-auth 1.0.1 signs them
   * (`HybridSender.prepare_out_of_session_act`): header `typ: JWT`, and `sub` equal to `iss` instead
   * of `act.sub` (it hard-codes both to `"application"`, whatever `APP_ID` says). Pair it with
   * `issuer: 'application'`. Signature, audience, time claims, lifetime and single-use `jti`
   * are checked as always; a `typ: act+jwt` JWT must still carry `sub` = `act.sub` (default `false`).
   */
  readonly acceptPythonReferenceActJwt?: boolean;
  /** Allow an `http:` JWKS URL on a loopback host (tests and demos only); overrides `config.allowInsecureLoopback`. */
  readonly allowInsecureLoopback?: boolean;
  /**
   * The configuration from `getConfig()`: its `allowInsecureLoopback`
   * (`DUAL_AUTH_ALLOW_INSECURE_LOOPBACK`) applies unless the option above is given.
   */
  readonly config?: Pick<DualAuthConfig, 'allowInsecureLoopback'>;
  /** `fetch` for the JWKS (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
  /** JWKS caching, as the verifier's (`cooldownSeconds` default 30; documents up to 64 KiB by default). */
  readonly jwks?: JwksOptions;
}

const renamedOptions = {
  appPublicKey: 'keys',
  appPublicKeyPath: 'keyPath',
  appJwksUrl: 'jwksUri',
  expectedIssuer: 'issuer',
  expectedAudience: 'audience',
  allowedAlgorithms: 'algorithms',
  jwksCooldownSeconds: 'jwks.cooldownSeconds',
} as const;

/**
 * Parameters of {@link OutOfSessionTokenRequest.requestTokenFromJwt}.
 *
 * @example
 * ```ts
 * const params: TokenFromJwtParams = { agentId: 'finance-agent', scope: ['finance.read'] };
 * ```
 */
export interface TokenFromJwtParams {
  readonly agentId: string;
  readonly scope?: readonly string[];
  readonly signal?: AbortSignal;
}

const nonEmpty = (value: unknown, name: string): string => {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw new TypeError(`${name} must be a non-empty string`);
  return value;
};

/**
 * Requests dual-subject tokens for a remote agent, outside the application's session: the human
 * arrives as an act JWT signed by the application. Each act JWT is verified (signature with an
 * algorithm fixed by the key's type, `typ`, issuer, audience, time claims, lifetime, act) and its
 * `jti` is recorded so it can be used once only.
 *
 * @example
 * ```ts
 * const tokenRequest = new OutOfSessionTokenRequest({
 *   adapter,
 *   keyPath: process.env.APP_PUBLIC_KEY_PATH,
 *   issuer: process.env.APP_ID,
 *   audience: process.env.AGENT_ENDPOINT,
 * });
 * const { act, delegation } = await tokenRequest.receiveAndVerifyActJwt(body.act_jwt);
 * const tokenResponse = await tokenRequest.requestToken({ agentId: 'finance-agent', act, delegation, scope: ['finance.read'] });
 * ```
 */
export class OutOfSessionTokenRequest extends DualSubjectTokenRequest {
  readonly #policy: Omit<Parameters<typeof verifyActJwt>[1], 'keySource'>;
  readonly #loadKeySource: () => Promise<KeySource>;
  #keySource: Promise<KeySource> | undefined;

  constructor(options: OutOfSessionTokenRequestOptions) {
    const { clock, clockSkewSeconds } = resolveTimeOptions(options ?? undefined);
    super(options, 'OutOfSessionTokenRequest', clock);
    refuseRenamedOptions(options, renamedOptions, 'OutOfSessionTokenRequest');
    const maxLifetimeSeconds = options.maxLifetimeSeconds ?? ACT_JWT_LIFETIME_SECONDS.maximum;
    if (
      !Number.isFinite(maxLifetimeSeconds) ||
      maxLifetimeSeconds < 1 ||
      maxLifetimeSeconds > ACT_JWT_LIFETIME_SECONDS.maximum
    ) {
      throw new TypeError(`maxLifetimeSeconds must be between 1 and ${ACT_JWT_LIFETIME_SECONDS.maximum}`);
    }
    const allowedAlgorithms = options.algorithms ?? SUPPORTED_JWS_ALGORITHMS;
    if (
      !Array.isArray(allowedAlgorithms) ||
      allowedAlgorithms.length === 0 ||
      allowedAlgorithms.some((alg) => !SUPPORTED_JWS_ALGORITHMS.includes(alg as JwsAlgorithm))
    ) {
      throw new TypeError(`algorithms must be a non-empty subset of ${SUPPORTED_JWS_ALGORITHMS.join(', ')}`);
    }
    const replayStore = options.replayStore ?? createMemoryReplayStore({ clock });
    if (typeof replayStore.useOnce !== 'function') throw new TypeError('replayStore must be a ReplayStore');
    this.#policy = Object.freeze({
      expectedIssuer: nonEmpty(options.issuer, 'issuer'),
      expectedAudience: nonEmpty(options.audience, 'audience'),
      allowedAlgorithms: Object.freeze([...allowedAlgorithms]),
      clock,
      clockSkewSeconds,
      maxLifetimeSeconds,
      acceptUntypedActJwt: options.acceptUntypedActJwt ?? false,
      acceptPythonReferenceActJwt: options.acceptPythonReferenceActJwt ?? false,
      replayStore,
    });
    this.#loadKeySource = keySourceLoader(options, allowedAlgorithms, clock);
  }

  /**
   * Verifies an act JWT from the application and records its `jti`; resolves the human and the
   * delegation. Rejects with `ActVerificationError` (its `reason` names the failed check) or
   * `ReplayError` (`replayed`, or the store cannot record safely).
   *
   * @example
   * ```ts
   * const { act, delegation, jti } = await tokenRequest.receiveAndVerifyActJwt(body.act_jwt);
   * ```
   */
  async receiveAndVerifyActJwt(actJwt: string): Promise<VerifiedActJwt> {
    let keySource = this.#keySource;
    if (keySource === undefined) {
      keySource = this.#loadKeySource();
      this.#keySource = keySource;
      // A key file that cannot be read now may be fixed later: do not remember the failure.
      keySource.catch(() => {
        this.#keySource = undefined;
      });
    }
    try {
      const verified = await verifyActJwt(actJwt, { ...this.#policy, keySource: await keySource });
      this.logger.info('act JWT accepted', {
        human: loggableSubject(verified.act.sub),
        issuer: verified.issuer,
      });
      return verified;
    } catch (error) {
      this.logger.warn('act JWT refused', {
        reason: (error as { reason?: unknown }).reason,
        code: (error as { code?: unknown }).code,
      });
      throw error;
    }
  }

  /**
   * Verifies `actJwt` (as {@link OutOfSessionTokenRequest.receiveAndVerifyActJwt}) and requests a
   * token for the human and delegation it carries.
   *
   * @example
   * ```ts
   * const tokenResponse = await tokenRequest.requestTokenFromJwt(body.act_jwt, { agentId: 'finance-agent', scope: ['finance.read'] });
   * ```
   */
  async requestTokenFromJwt(actJwt: string, params: TokenFromJwtParams): Promise<TokenResponse> {
    const { act, delegation } = await this.receiveAndVerifyActJwt(actJwt);
    return this.requestToken({ ...params, act, ...(delegation === undefined ? {} : { delegation }) });
  }
}

function keySourceLoader(
  options: OutOfSessionTokenRequestOptions,
  allowedAlgorithms: readonly string[],
  clock: () => number,
): () => Promise<KeySource> {
  const given = [options.keys, options.keyPath, options.jwksUri].filter((value) => value !== undefined);
  if (given.length !== 1) {
    throw new TypeError('give exactly one of keys, keyPath or jwksUri');
  }
  const allowed = new Set(allowedAlgorithms as readonly JwsAlgorithm[]);
  const single = (jwk: PublicJwk): KeySource => {
    const key = importVerificationKey(jwk as never, allowed);
    if (isKeyImportFailure(key)) {
      if (key.problem === 'no_allowed_algorithm') {
        throw new TypeError('keys: none of algorithms fits this key type');
      }
      throw new TypeError(`keys ${describeKeyFailure(key, jwk)}`);
    }
    return staticKeySource([key]);
  };
  if (options.jwksUri !== undefined) {
    const source = createRemoteKeySource({
      url: nonEmpty(options.jwksUri, 'jwksUri'),
      setting: 'jwksUri',
      allowed,
      clock,
      fetch: options.fetch ?? globalThis.fetch,
      allowInsecureLoopback: resolveInsecureLoopback(options, 'OutOfSessionTokenRequest'),
      // An agent receives few act JWTs: each may wait for a refresh past the maximum age, so a key
      // the application withdrew stops verifying at once.
      refreshPastMaxAge: 'wait',
      maximumKeys: 50,
      // An application's JWKS holds a few keys: a smaller document bound than an IdP's.
      jwks: { maxResponseBytes: 64 * 1024, ...options.jwks },
    });
    return async () => source;
  }
  if (options.keyPath !== undefined) {
    const path = nonEmpty(options.keyPath, 'keyPath');
    return async () => single(await publicJwkFromFile(path));
  }
  const input = options.keys as PublicKeyInput;
  const jwk = publicJwkSync(input);
  if (jwk !== undefined) {
    const source = single(jwk);
    return async () => source;
  }
  return async () =>
    single(await publicJwkFromPem(input as string, (problem) => new TypeError(`keys ${problem}`)));
}
