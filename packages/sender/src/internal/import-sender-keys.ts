import { ConfigurationError, type Logger } from '@dual-auth/core';
import { nodeCrypto } from '@dual-auth/core/jose';
import type { PublicJwk, PublicJwks, SenderKey } from '../sender-key.ts';
import {
  loadSigningKey,
  loadVerificationKey,
  type SigningKey,
  type VerificationKey,
} from './load-signing-key.ts';
import { PRIVATE_KEY_PATH_SETTING, readKeyFile } from './read-key-file.ts';

/** The imported keys of a sender: the one it signs with and the JWKS it publishes. */
export interface KeySet {
  readonly signingKey: SigningKey;
  readonly publicJwks: PublicJwks;
}

/** Where the signing key comes from, and the rotation keys published beside it. */
export interface KeySource {
  readonly source: { readonly path: string } | { readonly key: SenderKey };
  readonly verificationKeys: readonly SenderKey[];
  readonly keyId: string | undefined;
}

/** Imports the signing key (reading its file) and the rotation keys; a `ConfigurationError` naming the setting. */
export async function importSenderKeys(
  { source, verificationKeys, keyId }: KeySource,
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

/** The error of signing without a key, naming the settings that give one. */
export function missingKeyError(purpose: string): ConfigurationError {
  return new ConfigurationError(
    `${purpose} needs the application's signing key: set ${PRIVATE_KEY_PATH_SETTING} (privateKeyPath) or pass privateKey, and APP_ID (appId).`,
    { setting: PRIVATE_KEY_PATH_SETTING },
  );
}
