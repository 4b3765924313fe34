// The pieces a seed (Python reference) deployment is configured with: the application's RSA key
// pair in PEM files, and the environment variables its `get_config()` reads for each vendor.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Vendor } from '@dual-auth/core';
import type { AgentFixture, IdpProfile } from '@dual-auth/testkit';
import { APP_ID, vendorCases } from '../harness.ts';

/** The application's key files: the seed signs RS256 only (PyJWT with an RSA key). */
export interface SeedApplicationKeys {
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  readonly privateKeyPem: string;
  remove(): void;
}

/** A fresh RSA-2048 key pair written as PKCS#8 / SPKI PEM files (0600) in a private temp folder. */
export function createSeedApplicationKeys(): SeedApplicationKeys {
  const folder = mkdtempSync(join(tmpdir(), 'dual-auth-python-reference-'));
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const privateKeyPath = join(folder, 'app-private-key.pem');
  const publicKeyPath = join(folder, 'app-public-key.pem');
  writeFileSync(privateKeyPath, privateKeyPem, { mode: 0o600 });
  writeFileSync(publicKeyPath, pair.publicKey.export({ format: 'pem', type: 'spki' }), { mode: 0o600 });
  return {
    privateKeyPath,
    publicKeyPath,
    privateKeyPem,
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/**
 * The seed's settings for `agent` at `profile` (dual_auth 1.0.1 config.py, `_get_<vendor>_config`,
 * lines 769-820): DUAL_AUTH_VENDOR, the vendor's *_TOKEN_URL, AGENT_CLIENT_ID/SECRET, and
 * API_AUDIENCE (Auth0, Okta, Entra) or API_SCOPE, APP_PRIVATE_KEY_PATH and APP_ID (Entra).
 */
export function seedSettings(
  profile: IdpProfile,
  agent: AgentFixture,
  keys: SeedApplicationKeys,
): Record<string, string> {
  const vendor: Vendor = profile.vendor;
  return {
    DUAL_AUTH_VENDOR: vendor,
    [vendorCases[vendor].tokenUrlKey]: profile.tokenEndpoint,
    AGENT_CLIENT_ID: agent.clientId,
    AGENT_CLIENT_SECRET: agent.clientSecret,
    API_AUDIENCE: profile.audience,
    API_SCOPE: profile.scope.join(' '),
    APP_PRIVATE_KEY_PATH: keys.privateKeyPath,
    APP_ID,
  };
}
