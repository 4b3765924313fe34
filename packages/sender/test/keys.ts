import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** The key kinds the sender signs with, and the algorithm each must produce. */
export const keyKinds = [
  { kind: 'rsa', algorithm: 'RS256' },
  { kind: 'p256', algorithm: 'ES256' },
  { kind: 'p384', algorithm: 'ES384' },
  { kind: 'ed25519', algorithm: 'EdDSA' },
] as const;

export type KeyKind = (typeof keyKinds)[number]['kind'] | 'rsa1024' | 'p521' | 'ed448';

const cache = new Map<KeyKind, KeyObject>();

/** A private KeyObject of `kind`, generated once per test file (RSA generation is slow). */
export function privateKeyOf(kind: KeyKind): KeyObject {
  let key = cache.get(kind);
  if (key === undefined) {
    key = generate(kind);
    cache.set(kind, key);
  }
  return key;
}

function generate(kind: KeyKind): KeyObject {
  switch (kind) {
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    case 'rsa1024':
      return generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    case 'p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    case 'p521':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey;
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey;
    case 'ed448':
      return generateKeyPairSync('ed448').privateKey;
  }
}

/** PKCS#8 PEM of a key. */
export function pkcs8Pem(kind: KeyKind): string {
  return privateKeyOf(kind).export({ format: 'pem', type: 'pkcs8' }) as string;
}

const directory = mkdtempSync(join(tmpdir(), 'dual-auth-sender-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Writes `content` to a fresh file with `mode` in a temporary directory removed after the file's tests. */
export async function keyFile(content: string, mode = 0o600): Promise<string> {
  const path = join(directory, `key-${Math.random().toString(36).slice(2)}.pem`);
  await writeFile(path, content, { mode });
  await chmod(path, mode);
  return path;
}

/** A logger that records every entry, for assertions and leak scans. */
export function recordingLogger() {
  const entries: { level: string; message: string; fields: unknown }[] = [];
  const record = (level: string) => (message: string, fields?: unknown) => {
    entries.push({ level, message, fields });
  };
  return {
    entries,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  };
}
