import {
  ACT_ASSERTION_TYPE,
  ACT_JWT_LIFETIME_SECONDS,
  ACT_JWT_TYPE,
  type Act,
  type ActAssertionClaims,
  type ActAssertionInput,
  type ActAssertionSigner,
  type ActDisplayClaim,
  type ActJwtClaims,
  AGBAC_VERSION,
  accessTokenHash,
  type Clock,
  ConfigurationError,
  checkUrlPolicy,
  createDelegation,
  type Delegation,
  type DelegationClaim,
  type DualAuthConfig,
  discloseAct,
  type Logger,
  MAXIMUM_ACCESS_TOKEN_LENGTH,
  parseAct,
  parseActDisplayClaims,
  parseDelegationClaim,
  resolveInsecureLoopback,
  resolveTimeOptions,
  silentLogger,
  type TimeOptions,
  toDelegationClaim,
} from '@dual-auth/core';
import { nodeCrypto, signCompactJws } from '@dual-auth/core/jose';
import {
  isSenderKey,
  loadSigningKey,
  loadVerificationKey,
  type SigningKey,
  type VerificationKey,
} from './internal/load-signing-key.ts';
import { PRIVATE_KEY_PATH_SETTING, readKeyFile } from './internal/read-key-file.ts';
import type { PublicJwk, PublicJwks, SenderKey, SigningAlgorithm } from './sender-key.ts';
import { UserSession, type UserSessionInit } from './user-session.ts';

/**
 * Options of {@link HybridSender}. Without a key the sender only extracts acts (in-session use).
 *
 * @example
 * ```ts
 * const options: HybridSenderOptions = { privateKeyPath: '/run/secrets/app-key.pem', appId: 'finance-app' };
 * const sender = await HybridSender.create(options);
 * ```
 */
export interface HybridSenderOptions extends TimeOptions {
  /** The application's private key: PEM text, JWK, CryptoKey or CryptoKeyPair. */
  readonly privateKey?: SenderKey | undefined;
  /** Path of a PEM (or JWK JSON) private key file: the seed's `APP_PRIVATE_KEY_PATH`. */
  readonly privateKeyPath?: string | undefined;
  /** Keys still published in {@link HybridSender.publicJwks} but no longer signed with (key rotation). */
  readonly verificationKeys?: readonly SenderKey[] | undefined;
  /** The application's identifier, `iss` of every JWT it signs: the seed's `APP_ID`. Required with a key. */
  readonly appId?: string | undefined;
  /** `kid` of the signing key (default: its RFC 7638 JWK thumbprint, or the JWK's own `kid`). */
  readonly keyId?: string | undefined;
  /** Receives warnings (key file permissions, email used as subject); never emails, names or keys. */
  readonly logger?: Logger | undefined;
  /** Use the email as `act.sub` when a session has no IAM user id. Default `false`: a `TypeError`. */
  readonly allowEmailAsSubjectFallback?: boolean | undefined;
  /**
   * Accept `http://` agent endpoints on loopback hosts (tests and local demos only). Overrides
   * `config.allowInsecureLoopback`; default `false`.
   */
  readonly allowInsecureLoopback?: boolean | undefined;
  /**
   * Display claims of the human (`email`, `name`) signed into act JWTs and act assertions besides
   * its IAM ids (`sub`, Entra's `oid`). Overrides `config.actDisplayClaims`
   * (`DUAL_AUTH_ACT_DISPLAY_CLAIMS`); default none. {@link HybridSender.extractActFromSession}
   * keeps them in memory either way.
   */
  readonly actDisplayClaims?: readonly ActDisplayClaim[] | undefined;
  /**
   * The configuration from `getConfig()`: its `allowInsecureLoopback`
   * (`DUAL_AUTH_ALLOW_INSECURE_LOOPBACK`) and `actDisplayClaims` (`DUAL_AUTH_ACT_DISPLAY_CLAIMS`)
   * apply unless the options above are given.
   */
  readonly config?: Pick<DualAuthConfig, 'allowInsecureLoopback' | 'actDisplayClaims'> | undefined;
}

/**
 * Options of {@link HybridSender.prepareOutOfSessionAct}.
 *
 * @example
 * ```ts
 * const options: OutOfSessionActOptions = { agentEndpoint: 'https://agent.example.com/invoke', ttlSeconds: 60 };
 * const actJwt = await sender.prepareOutOfSessionAct(act, options);
 * ```
 */
export interface OutOfSessionActOptions {
  /**
   * The agent endpoint the act JWT is for: the seed's `AGENT_ENDPOINT`. https only. Signed as `aud`
   * in its normalised form, `new URL(agentEndpoint).href` (`https://agent.example.com` becomes
   * `https://agent.example.com/`).
   */
  readonly agentEndpoint: string;
  /** Lifetime in seconds, 10–300 (default 60). */
  readonly ttlSeconds?: number | undefined;
  /** How and when the human delegated (default: explicit, granted now). */
  readonly delegation?: Delegation | undefined;
}

/**
 * Options of {@link HybridSender.createActAssertionSigner}.
 *
 * @example
 * ```ts
 * const options: ActAssertionSignerOptions = { audience: 'https://api.example.com', ttlSeconds: 120 };
 * const signActAssertion = sender.createActAssertionSigner(options);
 * ```
 */
export interface ActAssertionSignerOptions {
  /** When set, the only API (`aud`) the signer signs for; an input naming another is refused. */
  readonly audience?: string | undefined;
  /** Lifetime of each assertion in seconds, 10–300 (default 300, so it lasts as long as a cached token may be reused within it). */
  readonly ttlSeconds?: number | undefined;
}

interface ActClaimFields {
  readonly act: Act;
  readonly aud: string;
  readonly ttlSeconds: number;
  readonly delegation: DelegationClaim;
  /** Act assertions only: the agent and access token they are bound to. */
  readonly binding?: Pick<ActAssertionClaims, 'client_id' | 'ath'>;
}

interface KeySet {
  readonly signingKey: SigningKey;
  readonly publicJwks: PublicJwks;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const printableIdentifier = /^[^\p{Cc}]{1,1024}$/u;

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
    if (typeof options !== 'object' || options === null)
      throw new TypeError('HybridSender: options must be an object');
    const { privateKey, privateKeyPath, verificationKeys = [], appId, keyId } = options;
    this.#logger = checkLogger(options.logger);
    this.#clock = resolveTimeOptions(options).clock;
    this.#allowEmailAsSubjectFallback = checkBoolean(
      options.allowEmailAsSubjectFallback,
      'allowEmailAsSubjectFallback',
    );
    this.#allowInsecureLoopback = resolveInsecureLoopback(options, 'HybridSender');
    this.#actDisplayClaims = parseActDisplayClaims(
      options.actDisplayClaims ?? options.config?.actDisplayClaims,
    );
    if (privateKey !== undefined && privateKeyPath !== undefined) {
      throw new TypeError('HybridSender: pass privateKey or privateKeyPath, not both');
    }
    if (privateKey !== undefined) checkKeyShape(privateKey, 'privateKey');
    if (
      privateKeyPath !== undefined &&
      (typeof privateKeyPath !== 'string' || privateKeyPath.trim() === '')
    ) {
      throw new TypeError(
        `HybridSender: privateKeyPath (${PRIVATE_KEY_PATH_SETTING}) must be a non-empty path`,
      );
    }
    if (!Array.isArray(verificationKeys))
      throw new TypeError('HybridSender: verificationKeys must be an array');
    for (const [index, key] of verificationKeys.entries()) checkKeyShape(key, `verificationKeys[${index}]`);
    if (keyId !== undefined && (typeof keyId !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(keyId))) {
      throw new TypeError('HybridSender: keyId must be 1–128 printable ASCII characters without spaces');
    }
    const hasKey = privateKey !== undefined || privateKeyPath !== undefined;
    if (appId !== undefined && (typeof appId !== 'string' || !printableIdentifier.test(appId.trim()))) {
      throw new TypeError('HybridSender: appId (APP_ID) must be a non-empty printable string');
    }
    if (hasKey && appId === undefined) {
      throw new TypeError(
        'HybridSender: appId (APP_ID) is required with a signing key: it is the iss of every JWT',
      );
    }
    if (!hasKey && verificationKeys.length > 0) {
      throw new TypeError('HybridSender: verificationKeys need a signing key (privateKey or privateKeyPath)');
    }
    this.appId = appId?.trim();
    if (hasKey) {
      const source = privateKey === undefined ? { path: privateKeyPath as string } : { key: privateKey };
      this.#keys = importKeys(source, verificationKeys, keyId, this.#logger);
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
  extractActFromSession(userSession: UserSession | UserSessionInit): Act {
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
    return Object.freeze(result.act);
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
    const method = 'prepareOutOfSessionAct';
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${method}: options { agentEndpoint } are required`);
    }
    const checkedAct = checkAct(act, method);
    const { agentEndpoint } = options;
    if (typeof agentEndpoint !== 'string')
      throw new TypeError(`${method}: agentEndpoint must be a URL string`);
    const endpoint = checkUrlPolicy(agentEndpoint, { allowInsecureLoopback: this.#allowInsecureLoopback });
    if (!endpoint.ok) throw new TypeError(`${method}: agentEndpoint ${endpoint.problem}`);
    const ttlSeconds = checkTtl(options.ttlSeconds ?? ACT_JWT_LIFETIME_SECONDS.default, method);
    const delegation = this.#delegationClaim(options.delegation, method);
    return this.#signActClaims(method, ACT_JWT_TYPE, {
      act: checkedAct,
      // The normalised form (`new URL(…).href`, e.g. a trailing slash after a bare origin), as
      // getConfig() gives AGENT_ENDPOINT, so the agent's expected audience compares equal.
      aud: endpoint.url.href,
      ttlSeconds,
      delegation,
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
    const method = 'createActAssertionSigner';
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`${method}: options must be an object`);
    const pinnedAudience = options.audience;
    if (pinnedAudience !== undefined) checkText(pinnedAudience, `${method}: audience`);
    const ttlSeconds = checkTtl(options.ttlSeconds ?? ACT_JWT_LIFETIME_SECONDS.maximum, method);
    if (this.#keys === undefined) throw missingKeyError('act assertions (hybrid mode)');
    return async (input: ActAssertionInput): Promise<string> => {
      const signer = 'signActAssertion';
      if (typeof input !== 'object' || input === null)
        throw new TypeError(`${signer}: input must be an object`);
      const { accessToken, agentId, audience } = input;
      if (
        typeof accessToken !== 'string' ||
        accessToken === '' ||
        accessToken.length > MAXIMUM_ACCESS_TOKEN_LENGTH
      ) {
        throw new TypeError(
          `${signer}: accessToken must be a non-empty string of at most ${MAXIMUM_ACCESS_TOKEN_LENGTH} characters`,
        );
      }
      checkText(agentId, `${signer}: agentId`);
      checkText(audience, `${signer}: audience`);
      if (pinnedAudience !== undefined && audience !== pinnedAudience) {
        throw new TypeError(`${signer}: audience is not the API this signer was created for`);
      }
      const act = checkAct(input.act, signer);
      if (input.delegation === undefined) throw new TypeError(`${signer}: delegation is required`);
      const delegation = this.#delegationClaim(input.delegation, signer);
      const binding = { client_id: agentId, ath: await accessTokenHash(accessToken) };
      return this.#signActClaims(signer, ACT_ASSERTION_TYPE, {
        act,
        aud: audience,
        ttlSeconds,
        delegation,
        binding,
      });
    };
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
    const now = Math.floor(this.#clock() / 1000);
    const claims: ActJwtClaims | ActAssertionClaims = {
      iss: this.appId as string,
      sub: fields.act.sub,
      aud: fields.aud,
      iat: now,
      exp: now + fields.ttlSeconds,
      jti: crypto.randomUUID(),
      ...fields.binding,
      act: discloseAct(fields.act, this.#actDisplayClaims),
      delegation: fields.delegation,
      agbac_ver: AGBAC_VERSION,
    };
    return signCompactJws(
      { alg: signingKey.algorithm, typ: type, kid: signingKey.keyId },
      claims,
      signingKey.sign,
    );
  }

  #delegationClaim(delegation: Delegation | undefined, method: string): DelegationClaim {
    const chosen = delegation ?? createDelegation({ now: this.#clock() });
    if (typeof chosen !== 'object' || chosen === null)
      throw new TypeError(`${method}: delegation must be an object`);
    const claim = toDelegationClaim(chosen);
    const result = parseDelegationClaim(claim);
    if (!result.ok) throw new TypeError(`${method}: delegation ${result.problem}`);
    return claim;
  }
}

async function importKeys(
  source: { readonly path: string } | { readonly key: SenderKey },
  verificationKeys: readonly SenderKey[],
  keyId: string | undefined,
  logger: Logger,
): Promise<KeySet> {
  const signingKey =
    'path' in source
      ? await loadSigningKey(await readKeyFile(source.path, logger), {
          setting: PRIVATE_KEY_PATH_SETTING,
          keyId,
          nodeCrypto,
        })
      : await loadSigningKey(source.key, { setting: 'privateKey', keyId, nodeCrypto });
  const keys: VerificationKey[] = [signingKey];
  for (const [index, key] of verificationKeys.entries()) {
    const loaded = await loadVerificationKey(key, { setting: `verificationKeys[${index}]`, nodeCrypto });
    const same = keys.find((known) => known.keyId === loaded.keyId);
    if (same === undefined) keys.push(loaded);
    else if (JSON.stringify(same.publicJwk) !== JSON.stringify(loaded.publicJwk)) {
      throw new ConfigurationError(
        `verificationKeys[${index}] has the kid of another key; give it its own.`,
        {
          setting: `verificationKeys[${index}]`,
        },
      );
    }
  }
  const publicJwks: PublicJwks = Object.freeze({
    keys: Object.freeze(keys.map((key): PublicJwk => key.publicJwk)),
  });
  return { signingKey, publicJwks };
}

function missingKeyError(purpose: string): ConfigurationError {
  return new ConfigurationError(
    `${purpose} needs the application's signing key: set ${PRIVATE_KEY_PATH_SETTING} (privateKeyPath) or pass privateKey, and APP_ID (appId).`,
    { setting: PRIVATE_KEY_PATH_SETTING },
  );
}

function checkAct(act: unknown, method: string): Act {
  const result = parseAct(act);
  if (!result.ok) throw new TypeError(`${method}: act ${result.problem}`);
  return result.act;
}

function checkTtl(ttlSeconds: unknown, method: string): number {
  const { minimum, maximum } = ACT_JWT_LIFETIME_SECONDS;
  if (
    typeof ttlSeconds !== 'number' ||
    !Number.isInteger(ttlSeconds) ||
    ttlSeconds < minimum ||
    ttlSeconds > maximum
  ) {
    throw new TypeError(
      `${method}: ttlSeconds must be a whole number of seconds from ${minimum} to ${maximum}`,
    );
  }
  return ttlSeconds;
}

function checkText(value: unknown, what: string): void {
  if (typeof value !== 'string' || !printableIdentifier.test(value) || value.trim() !== value) {
    throw new TypeError(`${what} must be a non-empty printable string`);
  }
}

function checkBoolean(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TypeError(`HybridSender: ${name} must be a boolean`);
  return value;
}

function checkLogger(logger: Logger | undefined): Logger {
  if (logger === undefined) return silentLogger;
  if (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function') {
    throw new TypeError('HybridSender: logger must implement debug, info, warn and error');
  }
  return logger;
}

function checkKeyShape(key: unknown, name: string): void {
  if (!isSenderKey(key)) {
    throw new TypeError(`HybridSender: ${name} must be PEM text, a JWK, a CryptoKey or a CryptoKeyPair`);
  }
  if (typeof key === 'string' && !/-----BEGIN /.test(key) && !key.trim().startsWith('{')) {
    throw new TypeError(
      `HybridSender: ${name} is not PEM or JWK text; to read the key from a file, pass its path as privateKeyPath`,
    );
  }
}
