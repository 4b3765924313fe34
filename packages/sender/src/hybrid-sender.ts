import {
  ACT_ASSERTION_TYPE,
  ACT_JWT_TYPE,
  type Act,
  type ActAssertionSigner,
  type ActDisplayClaim,
  type CheckedAct,
  type Clock,
  type Logger,
  parseAct,
} from '@dual-auth/core';
import type {
  ActAssertionSignerOptions,
  HybridSenderOptions,
  OutOfSessionActOptions,
} from './hybrid-sender-options.ts';
import { actAssertionFields, resolveActAssertionSignerOptions } from './internal/act-assertion-fields.ts';
import { importSenderKeys, type KeySet, missingKeyError } from './internal/import-sender-keys.ts';
import { outOfSessionActFields } from './internal/out-of-session-act-fields.ts';
import { resolveSenderOptions } from './internal/resolve-sender-options.ts';
import { type ActClaimFields, signActClaims } from './internal/sign-act-claims.ts';
import { OutOfSessionHandOff, type OutOfSessionHandOffOptions } from './out-of-session-hand-off.ts';
import type { PublicJwks, SigningAlgorithm } from './sender-key.ts';
import { UserSession, type UserSessionInit } from './user-session.ts';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * The application side of dual-auth, as the seed's `HybridSender`: turns the signed-in human into an
 * `act`, signs out-of-session act JWTs for remote agents, signs hybrid-mode act assertions for
 * adapters, and publishes the application's JWKS. The key is imported once and reused for every
 * signature; it never appears in errors, logs, `JSON.stringify` or `util.inspect`.
 *
 * @example
 * ```ts
 * const sender = await HybridSender.create({ privateKeyPath: process.env.APP_PRIVATE_KEY_PATH, appId: process.env.APP_ID });
 * const act = sender.extractActFromSession(new UserSession({ userId: user.id, userEmail: user.email }));
 * const actJwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint: process.env.AGENT_ENDPOINT ?? '' });
 * ```
 */
export class HybridSender {
  /** The application's identifier (`iss`), when configured. */
  readonly appId: string | undefined;
  readonly #keys: Promise<KeySet> | undefined;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #allowEmailAsSubjectFallback: boolean;
  readonly #allowInsecureLoopback: boolean;
  readonly #actDisplayClaims: readonly ActDisplayClaim[];

  /**
   * Builds a sender and starts importing its keys; key problems surface as a `ConfigurationError`
   * from {@link HybridSender.ready} or the first signature. Prefer {@link HybridSender.create}.
   */
  constructor(options: HybridSenderOptions = {}) {
    const settings = resolveSenderOptions(options);
    this.appId = settings.appId;
    this.#logger = settings.logger;
    this.#clock = settings.clock;
    this.#allowEmailAsSubjectFallback = settings.allowEmailAsSubjectFallback;
    this.#allowInsecureLoopback = settings.allowInsecureLoopback;
    this.#actDisplayClaims = settings.actDisplayClaims;
    if (settings.keys !== undefined) {
      this.#keys = importSenderKeys(settings.keys, this.#logger);
      // The failure is reported to whoever awaits the keys; without this it would also be "unhandled".
      this.#keys.catch(() => {});
    }
    Object.freeze(this);
  }

  /**
   * Builds a sender and waits until its keys are imported, so a missing or malformed key fails at
   * start-up with a `ConfigurationError` naming the setting.
   *
   * @example
   * ```ts
   * const sender = await HybridSender.create({ privateKeyPath: '/run/secrets/app-key.pem', appId: 'https://app.example.com' });
   * ```
   */
  static async create(options: HybridSenderOptions = {}): Promise<HybridSender> {
    const sender = new HybridSender(options);
    await sender.ready();
    return sender;
  }

  /**
   * Resolves once the keys are imported (at once when there are none); rejects with the
   * `ConfigurationError` of a missing or malformed key.
   *
   * @example
   * ```ts
   * await sender.ready();
   * ```
   */
  async ready(): Promise<void> {
    await this.#keys;
  }

  /**
   * The `act` of a signed-in human: `sub` is the IAM user id, with email, name and Entra `oid` for
   * display. The returned `Act` keeps them for the application's own use; what is signed onto the
   * wire is only the IAM ids unless `actDisplayClaims` lists more. A session without a user id is a `TypeError`, unless `allowEmailAsSubjectFallback`
   * was set: then the email becomes `sub` and a warning is logged (without the email).
   *
   * @example
   * ```ts
   * const act = sender.extractActFromSession(new UserSession({ userId: 'f1234567-89ab-cdef-0123-456789abcdef' }));
   * ```
   */
  extractActFromSession(userSession: UserSession | UserSessionInit): CheckedAct {
    const session = userSession instanceof UserSession ? userSession : new UserSession(userSession);
    let sub = session.userId;
    if (sub === undefined) {
      if (!this.#allowEmailAsSubjectFallback || session.userEmail === undefined) {
        throw new TypeError(
          'extractActFromSession: the session has no userId (the IAM user id); set it from the ID token (sub, or oid at Entra ID)',
        );
      }
      this.#logger.warn('act.sub falls back to the email because the session has no IAM user id', {
        fallback: 'email',
      });
      sub = session.userEmail;
    }
    const result = parseAct({
      sub,
      email: session.userEmail,
      name: session.userName,
      oid: session.userOid,
    });
    if (!result.ok) throw new TypeError(`extractActFromSession: act ${result.problem}`);
    return result.act;
  }

  /**
   * Signs an out-of-session act JWT (`typ: act+jwt`) for one agent endpoint: `iss` the app, `sub`
   * and `act` the human, `aud` the endpoint, a fresh `jti`, the delegation and `agbac_ver`. `aud` is
   * the endpoint normalised as `new URL(agentEndpoint).href` (lower-case scheme and host, no default
   * port, `/` for an empty path), the form `getConfig()` gives `AGENT_ENDPOINT`: the agent must
   * expect that same normalised URL as the audience.
   *
   * @example
   * ```ts
   * const actJwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint: 'https://agent.example.com/invoke', ttlSeconds: 60 });
   * await fetch('https://agent.example.com/invoke', { method: 'POST', body: JSON.stringify({ act_jwt: actJwt }) });
   * ```
   */
  async prepareOutOfSessionAct(act: Act, options: OutOfSessionActOptions): Promise<string> {
    const fields = outOfSessionActFields(act, options, {
      allowInsecureLoopback: this.#allowInsecureLoopback,
      clock: this.#clock,
    });
    return this.#signActClaims('prepareOutOfSessionAct', ACT_JWT_TYPE, fields);
  }

  /**
   * Everything a remote agent receives out of session: the act JWT of
   * {@link HybridSender.prepareOutOfSessionAct} and, for an agent in exchange mode, the human's
   * access token beside it (the `X-Subject-Token` header of {@link OutOfSessionHandOff.requestInit}),
   * never inside the act JWT or the URL. A `subjectToken` that is not a `Secret` holding a bearer
   * token is a `TypeError`.
   *
   * @example
   * ```ts
   * const handOff = await sender.prepareOutOfSessionHandOff(act, { agentEndpoint: 'https://agent.example.com/invoke', subjectToken: new Secret(session.accessToken) });
   * await fetch(handOff.url, handOff.requestInit());
   * ```
   */
  async prepareOutOfSessionHandOff(
    act: Act,
    options: OutOfSessionHandOffOptions,
  ): Promise<OutOfSessionHandOff> {
    const actJwt = await this.prepareOutOfSessionAct(act, options);
    return new OutOfSessionHandOff({
      url: new URL(options.agentEndpoint).href,
      actJwt,
      subjectToken: options.subjectToken,
    });
  }

  /**
   * An {@link ActAssertionSigner} for hybrid mode: each assertion (`typ: act-assertion+jwt`) carries
   * the human and the delegation, bound to one access token (`ath`) and one agent (`client_id`), for
   * one API (`aud`). Hand it to an adapter (`signActAssertion`).
   *
   * @example
   * ```ts
   * const signActAssertion = sender.createActAssertionSigner({ audience: 'https://api.example.com' });
   * const adapter = new EntraIDAdapter(config, { signActAssertion });
   * ```
   */
  createActAssertionSigner(options: ActAssertionSignerOptions = {}): ActAssertionSigner {
    const settings = resolveActAssertionSignerOptions(options);
    if (this.#keys === undefined) throw missingKeyError('act assertions (hybrid mode)');
    return async (input) =>
      this.#signActClaims(
        'signActAssertion',
        ACT_ASSERTION_TYPE,
        await actAssertionFields(input, settings, this.#clock),
      );
  }

  /**
   * The application's public keys as a JWKS: the signing key first, then the rotation keys, each
   * with `kid`, `alg` and `use: 'sig'` and never a private member. Serve it for agents and APIs.
   *
   * @example
   * ```ts
   * await writeFile('jwks.json', JSON.stringify(await sender.publicJwks()));
   * ```
   */
  async publicJwks(): Promise<PublicJwks> {
    return (await this.#requireKeys('publicJwks')).publicJwks;
  }

  /**
   * The algorithm the application signs with (`RS256`, `ES256`, `ES384` or `EdDSA`), once the key is imported.
   *
   * @example
   * ```ts
   * const alg = await sender.signingAlgorithm(); // give it to the agent's verifier allow-list
   * ```
   */
  async signingAlgorithm(): Promise<SigningAlgorithm> {
    return (await this.#requireKeys('signingAlgorithm')).signingKey.algorithm;
  }

  /** What `JSON.stringify` shows: the issuer and whether a key is configured, nothing else. */
  toJSON(): { appId: string | undefined; signing: boolean } {
    return { appId: this.appId, signing: this.#keys !== undefined };
  }

  [inspectSymbol](): string {
    return `HybridSender ${JSON.stringify(this.toJSON())}`;
  }

  async #requireKeys(method: string): Promise<KeySet> {
    if (this.#keys === undefined) throw missingKeyError(`${method}`);
    return this.#keys;
  }

  async #signActClaims(method: string, type: string, fields: ActClaimFields): Promise<string> {
    const { signingKey } = await this.#requireKeys(method);
    return signActClaims(type, fields, {
      appId: this.appId as string,
      signingKey,
      clock: this.#clock,
      actDisplayClaims: this.#actDisplayClaims,
    });
  }
}
