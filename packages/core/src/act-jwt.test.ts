import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accessTokenHash } from './act-jwt.ts';

describe('accessTokenHash', () => {
  it('is base64url SHA-256 without padding, as DPoP defines ath', async () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2ln';
    expect(await accessTokenHash(token)).toBe(createHash('sha256').update(token).digest('base64url'));
  });

  it('matches the RFC 9449 example', async () => {
    // RFC 9449 §7.1: access token "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU" → ath below.
    expect(await accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe(
      'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
    );
  });
});
