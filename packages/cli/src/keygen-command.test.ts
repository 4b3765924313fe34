import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../test/harness.ts';
import { exitCodes } from './exit-codes.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'dual-auth-keygen-'));

describe('dual-auth keygen', () => {
  it.each([
    ['EdDSA', 'ed25519', 'OKP'],
    ['ES256', 'ec', 'EC'],
    ['RS256', 'rsa', 'RSA'],
  ] as const)('writes a %s key pair and its JWKS, every file 0600', async (alg, type, kty) => {
    const directory = fresh();
    const run = await cli(['keygen', '--alg', alg, '--out-dir', directory, '--json']);
    expect(run.status).toBe(exitCodes.ok);
    const result = JSON.parse(run.stdout);
    expect(result.alg).toBe(alg);
    for (const path of Object.values(result.files) as string[])
      expect(statSync(path).mode & 0o777).toBe(0o600);
    const privateKey = createPrivateKey(readFileSync(result.files.privateKey));
    const publicKey = createPublicKey(readFileSync(result.files.publicKey));
    expect(privateKey.asymmetricKeyType).toBe(type);
    if (alg === 'RS256') expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const jwks = JSON.parse(readFileSync(result.files.jwks, 'utf8'));
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty, alg, use: 'sig', kid: result.kid });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    // The three files are one key pair.
    const data = Buffer.from('dual-auth');
    const digest = alg === 'EdDSA' ? null : 'sha256';
    const signature = sign(digest, data, privateKey);
    expect(verify(digest, data, publicKey, signature)).toBe(true);
    expect(verify(digest, data, createPublicKey({ key: jwks.keys[0], format: 'jwk' }), signature)).toBe(true);
  });

  it('refuses to overwrite any existing file (exit 3) and leaves it untouched; --force replaces', async () => {
    const directory = fresh();
    writeFileSync(join(directory, 'app.jwks.json'), 'keep me', { mode: 0o644 });
    const refused = await cli(['keygen', '--out-dir', directory]);
    expect(refused.status).toBe(exitCodes.input);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(directory, 'app.jwks.json'), 'utf8')).toBe('keep me');
    expect(() => statSync(join(directory, 'app-private.pem'))).toThrow();
    const forced = await cli(['keygen', '--out-dir', directory, '--force']);
    expect(forced.status).toBe(exitCodes.ok);
    expect(statSync(join(directory, 'app.jwks.json')).mode & 0o777).toBe(0o600);
    expect(forced.stdout).toContain('APP_PRIVATE_KEY_PATH=');
  });

  it('refuses RSA below 2048 bits, --bits for other algorithms, and unknown algorithms (exit 2)', async () => {
    const directory = fresh();
    expect((await cli(['keygen', '--alg', 'RS256', '--bits', '1024', '--out-dir', directory])).status).toBe(
      2,
    );
    expect((await cli(['keygen', '--alg', 'ES256', '--bits', '2048', '--out-dir', directory])).status).toBe(
      2,
    );
    expect((await cli(['keygen', '--alg', 'HS256', '--out-dir', directory])).status).toBe(2);
    expect((await cli(['keygen', '--name', '../escape', '--out-dir', directory])).status).toBe(2);
    const big = await cli(['keygen', '--alg', 'rs256', '--bits', '3072', '--out-dir', directory, '--json']);
    expect(JSON.parse(big.stdout)).toMatchObject({ alg: 'RS256', bits: 3072 });
  });

  it('--for agent writes an RS256 agent key and names the AGENT_ settings; --for app names the APP_ ones', async () => {
    const directory = fresh();
    const agent = await cli(['keygen', '--for', 'agent', '--out-dir', directory]);
    expect(agent.status).toBe(exitCodes.ok);
    const agentKey = join(directory, 'agent-private.pem');
    expect(createPrivateKey(readFileSync(agentKey)).asymmetricKeyType).toBe('rsa');
    expect(agent.stdout).toContain(`AGENT_PRIVATE_KEY_PATH=${agentKey}`);
    expect(agent.stdout).toContain('AGENT_PRIVATE_KEY_ALG=RS256');
    expect(agent.stdout).toMatch(/AGENT_PRIVATE_KEY_ID=[\w-]{43}\n/);
    expect(agent.stdout).not.toContain('APP_PRIVATE_KEY_PATH');
    const app = await cli(['keygen', '--out-dir', directory]);
    expect(app.stdout).toContain(`APP_PRIVATE_KEY_PATH=${join(directory, 'app-private.pem')}`);
    expect(app.stdout).not.toContain('AGENT_');
    expect((await cli(['keygen', '--for', 'robot', '--out-dir', directory])).status).toBe(exitCodes.usage);
  });
});
