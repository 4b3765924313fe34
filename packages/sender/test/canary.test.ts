import { inspect } from 'node:util';
import { createDelegation, type LogFields, type LogLevel } from '@dual-auth/core';
import { createJsonLinesLogger } from '@dual-auth/core/logging';
import { describe, expect, it } from 'vitest';
import { HybridSender, UserSession, userSessionFromIdTokenClaims } from '../src/index.ts';
import { keyFile, pkcs8Pem, privateKeyOf, recordingLogger } from './keys.ts';

// Canary values: none of them may show up in an error, a log line, JSON.stringify or util.inspect.
const email = 'canary.human@example.com';
const name = 'Canary Humanname';
const accessToken = 'eyJhbGciOiJSUzI1NiJ9.eyJjYW5hcnkiOiJ0b2tlbiJ9.Q0FOQVJZLWFjY2Vzcy10b2tlbg';
const keyMaterialCanary = 'Q0FOQVJZS0VZTUFURVJJQUwx';

function keyCanaries(): string[] {
  const canaries = [keyMaterialCanary];
  for (const kind of ['rsa', 'p256', 'ed25519'] as const) {
    const pem = pkcs8Pem(kind);
    for (const line of pem.split('\n').filter((text) => text.length > 40 && !text.startsWith('-----'))) {
      canaries.push(line.slice(0, 32));
    }
    const jwk = privateKeyOf(kind).export({ format: 'jwk' });
    if (typeof jwk.d === 'string') canaries.push(jwk.d.slice(0, 24));
  }
  return canaries;
}

describe('nothing sensitive leaks (canary scan)', () => {
  it('keys, emails, names and tokens stay out of errors, logs, JSON.stringify and util.inspect', async () => {
    const { entries, logger } = recordingLogger();
    const jsonLines: string[] = [];
    const jsonLogger = createJsonLinesLogger({ level: 'debug', write: (line) => jsonLines.push(line) });
    const tee =
      (level: LogLevel) =>
      (message: string, fields?: LogFields): void => {
        logger[level](message, fields);
        jsonLogger[level](message, fields);
      };
    const both = { debug: tee('debug'), info: tee('info'), warn: tee('warn'), error: tee('error') };
    const outputs: string[] = [];
    const show = (value: unknown) => {
      outputs.push(
        JSON.stringify(value) ?? '',
        inspect(value, { depth: 10, showHidden: true }),
        String(value),
      );
      if (value instanceof Error) outputs.push(value.message, value.stack ?? '');
    };
    const capture = async (run: () => unknown) => {
      try {
        await run();
      } catch (error) {
        show(error);
        return;
      }
      throw new Error('expected a failure');
    };
    const appId = 'https://app.example.com';
    const agentEndpoint = 'https://agent.example.com/invoke';

    // Success paths.
    const loosePath = await keyFile(pkcs8Pem('rsa'), 0o644);
    const sender = await HybridSender.create({
      privateKeyPath: loosePath,
      appId,
      logger: both,
      allowEmailAsSubjectFallback: true,
      verificationKeys: [pkcs8Pem('ed25519'), privateKeyOf('p256').export({ format: 'jwk' })],
    });
    const session = new UserSession({ userId: 'u-1', userEmail: email, userName: name });
    const act = sender.extractActFromSession(session);
    const fallbackAct = sender.extractActFromSession(new UserSession({ userEmail: email, userName: name }));
    const delegation = createDelegation();
    await sender.prepareOutOfSessionAct(act, { agentEndpoint });
    await sender.createActAssertionSigner()({
      accessToken,
      agentId: 'a-1',
      act,
      delegation,
      audience: 'api',
    });
    show(sender);
    show(session);
    show(await sender.publicJwks());
    show(userSessionFromIdTokenClaims({ oid: 'o-1', upn: email, name }, { vendor: 'entraid' }));
    expect(fallbackAct.sub).toBe(email);

    // Failure paths, each fed the canaries.
    const canaryPem = `-----BEGIN PRIVATE KEY-----\n${keyMaterialCanary}\n-----END PRIVATE KEY-----\n`;
    await capture(() => HybridSender.create({ privateKey: canaryPem, appId }));
    await capture(async () => HybridSender.create({ privateKeyPath: await keyFile(canaryPem), appId }));
    await capture(async () =>
      HybridSender.create({ privateKeyPath: await keyFile(`${keyMaterialCanary}\n`), appId }),
    );
    await capture(() => new HybridSender({ privateKey: keyMaterialCanary, appId }));
    await capture(() =>
      HybridSender.create({
        privateKey: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: keyMaterialCanary },
        appId,
      }),
    );
    await capture(() =>
      HybridSender.create({
        privateKey: privateKeyOf('p256').export({
          format: 'pem',
          type: 'pkcs8',
          cipher: 'aes-128-cbc',
          passphrase: keyMaterialCanary,
        }) as string,
        appId,
      }),
    );
    await capture(() => new UserSession({ userId: 'u-1', userEmail: `${name} <${email}>` }));
    await capture(() => new UserSession({ userId: 'u-1', userName: `${name}\n${email}` }));
    await capture(() => sender.extractActFromSession({ userEmail: email, userName: name, userId: '' }));
    await capture(() => new HybridSender().extractActFromSession({ userEmail: email, userName: name }));
    await capture(() =>
      sender.prepareOutOfSessionAct({ sub: 'u-1', email: `bad ${email}`, name }, { agentEndpoint }),
    );
    await capture(() =>
      sender.prepareOutOfSessionAct(act, { agentEndpoint: `https://${email}:pw@agent.example.com/` }),
    );
    const pinned = sender.createActAssertionSigner({ audience: 'api' });
    await capture(() => pinned({ accessToken, agentId: 'a-1', act, delegation, audience: 'other' }));
    await capture(() =>
      pinned({ accessToken, agentId: 'a-1', act: { sub: '', email, name }, delegation, audience: 'api' }),
    );

    outputs.push(JSON.stringify(entries), ...jsonLines);
    expect(entries.map((entry) => entry.level)).toEqual(['warn', 'warn']);
    const everything = outputs.join('\n');
    expect(outputs.length).toBeGreaterThan(40);
    for (const canary of [email, name, 'canary.human', 'Humanname', accessToken, ...keyCanaries()]) {
      expect(everything, `leaked ${canary.slice(0, 12)}…`).not.toContain(canary);
    }
  });
});
