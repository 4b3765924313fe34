import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the application's signing key pair lives, and how to clean it up. */
export interface DemoKeys {
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  /** `user` when APP_PRIVATE_KEY_PATH / APP_PUBLIC_KEY_PATH were given, `ephemeral` otherwise. */
  readonly origin: 'user' | 'ephemeral';
  dispose(): void;
}

/**
 * The application's key pair: the user's own (`APP_PRIVATE_KEY_PATH` and `APP_PUBLIC_KEY_PATH`, both
 * or neither), or a fresh RSA-2048 pair written to a private temporary folder (mode 600) and removed
 * on `dispose()`. RSA keeps the act JWTs interchangeable with the Python reference (RS256).
 */
export function resolveDemoKeys(environment: Readonly<Record<string, string | undefined>>): DemoKeys {
  const privateKeyPath = environment.APP_PRIVATE_KEY_PATH?.trim();
  const publicKeyPath = environment.APP_PUBLIC_KEY_PATH?.trim();
  if (privateKeyPath && publicKeyPath) {
    return { privateKeyPath, publicKeyPath, origin: 'user', dispose: () => {} };
  }
  if (privateKeyPath || publicKeyPath) {
    throw new TypeError(
      'set both APP_PRIVATE_KEY_PATH and APP_PUBLIC_KEY_PATH, or neither (an ephemeral pair is generated)',
    );
  }
  const folder = mkdtempSync(join(tmpdir(), 'dual-auth-demo-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const generatedPrivate = join(folder, 'app-private-key.pem');
  const generatedPublic = join(folder, 'app-public-key.pem');
  writeFileSync(generatedPrivate, privateKey, { mode: 0o600 });
  writeFileSync(generatedPublic, publicKey, { mode: 0o644 });
  return {
    privateKeyPath: generatedPrivate,
    publicKeyPath: generatedPublic,
    origin: 'ephemeral',
    dispose: () => rmSync(folder, { recursive: true, force: true }),
  };
}
