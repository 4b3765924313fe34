import { type ActDisplayClaim, type Clock, type Logger, resolveTimeOptions } from '@dual-auth/core';
import { parseActDisplayClaims, resolveInsecureLoopback } from '@dual-auth/core/config';
import { silentLogger } from '@dual-auth/core/logging';
import type { HybridSenderOptions } from '../hybrid-sender-options.ts';
import { printableIdentifier } from './act-claim-checks.ts';
import type { KeySource } from './import-sender-keys.ts';
import { isSenderKey } from './load-signing-key.ts';
import { PRIVATE_KEY_PATH_SETTING } from './read-key-file.ts';

/** The checked options of a `HybridSender`; `keys` only when a signing key is configured. */
export interface SenderSettings {
  readonly appId: string | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly allowEmailAsSubjectFallback: boolean;
  readonly allowInsecureLoopback: boolean;
  readonly actDisplayClaims: readonly ActDisplayClaim[];
  readonly keys: KeySource | undefined;
}

/** Checks the options of a `HybridSender` once; a `TypeError` naming the option on misuse. */
export function resolveSenderOptions(options: HybridSenderOptions): SenderSettings {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('HybridSender: options must be an object');
  const { privateKey, privateKeyPath, verificationKeys = [], appId, keyId } = options;
  const logger = checkLogger(options.logger);
  const { clock } = resolveTimeOptions(options);
  const allowEmailAsSubjectFallback = checkBoolean(
    options.allowEmailAsSubjectFallback,
    'allowEmailAsSubjectFallback',
  );
  const allowInsecureLoopback = resolveInsecureLoopback(options, 'HybridSender');
  const actDisplayClaims = parseActDisplayClaims(
    options.actDisplayClaims ?? options.config?.actDisplayClaims,
  );
  if (privateKey !== undefined && privateKeyPath !== undefined) {
    throw new TypeError('HybridSender: pass privateKey or privateKeyPath, not both');
  }
  if (privateKey !== undefined) checkKeyShape(privateKey, 'privateKey');
  if (privateKeyPath !== undefined && (typeof privateKeyPath !== 'string' || privateKeyPath.trim() === '')) {
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
  const source = privateKey === undefined ? { path: privateKeyPath as string } : { key: privateKey };
  return {
    appId: appId?.trim(),
    logger,
    clock,
    allowEmailAsSubjectFallback,
    allowInsecureLoopback,
    actDisplayClaims,
    keys: hasKey ? { source, verificationKeys, keyId } : undefined,
  };
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
