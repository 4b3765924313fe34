import type { ActDisplayClaim, Delegation, DualAuthConfig, Logger, TimeOptions } from '@dual-auth/core';
import type { SenderKey } from './sender-key.ts';

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
