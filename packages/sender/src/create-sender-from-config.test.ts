import { ConfigurationError, type DualAuthConfig } from '@dual-auth/core';
import { testConfig } from '@dual-auth/testkit';
import { describe, expect, it } from 'vitest';
import { keyFile, pkcs8Pem } from '../test/keys.ts';
import { createSenderFromConfig } from './create-sender-from-config.ts';

function config(overrides: Partial<DualAuthConfig> = {}): DualAuthConfig {
  return testConfig({
    vendor: 'entraid',
    tokenUrl: 'https://login.example.com/token',
    clientId: 'finance-agent',
    appId: 'https://app.example.com',
    ...overrides,
  });
}

describe('createSenderFromConfig', () => {
  it('builds a signing sender from APP_PRIVATE_KEY_PATH and APP_ID, with the loopback opt-in', async () => {
    const path = await keyFile(pkcs8Pem('p256'));
    const sender = await createSenderFromConfig(
      config({ appPrivateKeyPath: path, allowInsecureLoopback: true }),
    );
    expect(sender.appId).toBe('https://app.example.com');
    expect(await sender.signingAlgorithm()).toBe('ES256');
    const jwt = await sender.prepareOutOfSessionAct(
      { sub: 'u-1' },
      { agentEndpoint: 'http://127.0.0.1:9/invoke' },
    );
    expect(jwt.split('.')).toHaveLength(3);
  });

  it('signs the display claims the config allows, and only the IAM id by default', async () => {
    const path = await keyFile(pkcs8Pem('p256'));
    const act = { sub: 'u-1', email: 'canary.human@example.com', name: 'Canary Humanname' };
    const actOf = async (overrides: Partial<DualAuthConfig>) => {
      const sender = await createSenderFromConfig(config({ appPrivateKeyPath: path, ...overrides }));
      const jwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint: 'https://agent.example.com/' });
      return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')).act;
    };
    expect(await actOf({})).toEqual({ sub: 'u-1' });
    expect(await actOf({ actDisplayClaims: ['email', 'name'] })).toEqual(act);
  });

  it('names the missing setting', async () => {
    await expect(createSenderFromConfig(config())).rejects.toMatchObject({
      code: 'ERR_CONFIGURATION',
      setting: 'APP_PRIVATE_KEY_PATH',
    });
    const path = await keyFile(pkcs8Pem('p256'));
    const error = await createSenderFromConfig(config({ appPrivateKeyPath: path, appId: undefined })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ setting: 'APP_ID' });
    await expect(
      createSenderFromConfig(config({ appPrivateKeyPath: '/nonexistent/key.pem' })),
    ).rejects.toMatchObject({
      setting: 'APP_PRIVATE_KEY_PATH',
      message: 'APP_PRIVATE_KEY_PATH names a file that does not exist.',
    });
  });
});
