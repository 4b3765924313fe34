import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { OutOfSessionTokenRequest } from '@dual-auth/client';
import { ACT_JWT_TYPE, type IdpAdapter, ReplayError, TokenResponse } from '@dual-auth/core';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisReplayStore, type RedisReplayStore } from '../src/index.ts';
import { type RunningRedis, redisAvailable, startRedis } from './redis-server.ts';

const ISSUER = 'https://app.example.com';
const AUDIENCE = 'https://agent.example.com/invoke';

describe.skipIf(!redisAvailable)('replay protection across agent replicas sharing Redis', () => {
  let redis: RunningRedis;
  const stores: RedisReplayStore[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await redis?.stop();
  });

  it('refuses on a second OutOfSessionTokenRequest an act JWT the first one accepted', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    let issued = 0;
    const adapter: IdpAdapter = {
      vendor: 'keycloak',
      tokenEndpoint: 'https://127.0.0.1/token',
      audience: undefined,
      mode: 'agbac',
      requestToken: async () => {
        issued++;
        return new TokenResponse({ accessToken: `token-${issued}`, tokenType: 'Bearer', expiresIn: 300 });
      },
    };
    const replica = () => {
      const replayStore = createRedisReplayStore({ url: redis.url, keyPrefix: 'agents:replay:' });
      stores.push(replayStore);
      return new OutOfSessionTokenRequest({
        adapter,
        keys: publicKey,
        issuer: ISSUER,
        audience: AUDIENCE,
        replayStore,
      });
    };
    const [first, second] = [replica(), replica()];
    const now = Math.floor(Date.now() / 1000);
    const actJwt = await new SignJWT({ act: { sub: 'user-1' }, jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', typ: ACT_JWT_TYPE })
      .setIssuer(ISSUER)
      .setSubject('user-1')
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(privateKey);

    await expect(first.requestTokenFromJwt(actJwt, { agentId: 'agent' })).resolves.toBeInstanceOf(
      TokenResponse,
    );
    const error = await second
      .requestTokenFromJwt(actJwt, { agentId: 'agent' })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ReplayError);
    expect((error as ReplayError).reason).toBe('replayed');
    expect(issued).toBe(1);
  });
});
