import { execFileSync } from 'node:child_process';
import * as nodeCrypto from 'node:crypto';
import { closeSync, constants, mkdtempSync, openSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ACT_ASSERTION_TYPE,
  ACT_JWT_TYPE,
  type Act,
  type ActAssertionInput,
  AGBAC_VERSION,
  accessTokenHash,
  type CheckedAct,
  ConfigurationError,
  createDelegation,
  createManualClock,
  parseAct,
} from '@dual-auth/core';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { keyFile, keyKinds, pkcs8Pem, privateKeyOf, recordingLogger } from '../test/keys.ts';
import { HybridSender } from './hybrid-sender.ts';
import { UserSession } from './user-session.ts';

const appId = 'https://app.example.com';
const agentEndpoint = 'https://agent.example.com/invoke';
const act: Act = {
  sub: 'f1234567-89ab-cdef-0123-456789abcdef',
  email: 'alice@example.com',
  name: 'Alice Smith',
};
const startMs = Date.parse('2026-11-23T12:00:00Z');

function signingSender(kind: (typeof keyKinds)[number]['kind'] = 'p256', extra = {}) {
  return HybridSender.create({ privateKey: pkcs8Pem(kind), appId, ...extra });
}

async function verify(jwt: string, sender: HybridSender, audience: string, currentDate = new Date(startMs)) {
  const jwks = createLocalJWKSet((await sender.publicJwks()) as unknown as JSONWebKeySet);
  return jwtVerify(jwt, jwks, { issuer: appId, audience, currentDate });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('HybridSender.extractActFromSession', () => {
  const sender = new HybridSender();

  it('puts the IAM user id in sub and keeps email, name and oid for display', () => {
    const session = new UserSession({
      userId: 'u-1',
      userEmail: 'a@example.com',
      userName: 'A',
      userOid: 'o-1',
    });
    expect(sender.extractActFromSession(session)).toEqual({
      sub: 'u-1',
      email: 'a@example.com',
      name: 'A',
      oid: 'o-1',
    });
    expect(sender.extractActFromSession({ userId: 'u-2' })).toEqual({ sub: 'u-2' });
    expect(Object.isFrozen(sender.extractActFromSession({ userId: 'u-2' }))).toBe(true);
  });

  it('returns a checked act that later steps pass on without validating it again', () => {
    const act: CheckedAct = sender.extractActFromSession({ userId: 'u-3', userEmail: 'c@example.com' });
    const again = parseAct(act);
    expect(again.ok && again.act).toBe(act);
  });

  it('refuses a session without a user id unless the email fallback is enabled', () => {
    expect(() => sender.extractActFromSession({ userEmail: 'a@example.com' })).toThrow(
      new TypeError(
        'extractActFromSession: the session has no userId (the IAM user id); set it from the ID token (sub, or oid at Entra ID)',
      ),
    );
  });

  it('falls back to the email when enabled, and warns without the email', () => {
    const { entries, logger } = recordingLogger();
    const fallback = new HybridSender({ allowEmailAsSubjectFallback: true, logger });
    const session = new UserSession({ userEmail: 'canary.fallback@example.com', userName: 'Canary Name' });
    expect(fallback.extractActFromSession(session).sub).toBe('canary.fallback@example.com');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 'warn', fields: { fallback: 'email' } });
    expect(JSON.stringify(entries)).not.toMatch(/canary|Canary/);
  });
});

describe('HybridSender.prepareOutOfSessionAct', () => {
  for (const { kind, algorithm } of keyKinds) {
    it(`${algorithm}: header and claims follow the act JWT format and verify with jose against publicJwks()`, async () => {
      const clock = createManualClock(startMs);
      const sender = await signingSender(kind, { clock: clock.now });
      const jwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint });
      const { payload, protectedHeader } = await verify(jwt, sender, agentEndpoint);
      const { keys } = await sender.publicJwks();
      expect(protectedHeader).toEqual({ alg: algorithm, typ: ACT_JWT_TYPE, kid: keys[0]?.kid });
      const now = startMs / 1000;
      expect(payload).toEqual({
        iss: appId,
        sub: act.sub,
        aud: agentEndpoint,
        iat: now,
        exp: now + 60,
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        act: { sub: act.sub },
        delegation: { method: 'explicit', granted_at: now },
        agbac_ver: AGBAC_VERSION,
      });
      expect(await sender.signingAlgorithm()).toBe(algorithm);
    });
  }

  it('gives every JWT its own jti (1,000 in a row)', async () => {
    const sender = await signingSender('ed25519');
    const jtis = new Set<unknown>();
    for (let index = 0; index < 1000; index++) {
      const jwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint });
      const [, payload = ''] = jwt.split('.');
      jtis.add(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).jti);
    }
    expect(jtis.size).toBe(1000);
  });

  it('takes a TTL from 10 to 300 seconds and a given delegation', async () => {
    const sender = await signingSender('p256', { clock: () => startMs });
    const delegation = createDelegation({
      method: 'implicit',
      intentSummary: 'Summarise Q4',
      now: startMs - 5000,
    });
    for (const ttlSeconds of [10, 300]) {
      const jwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint, ttlSeconds, delegation });
      const { payload } = await verify(jwt, sender, agentEndpoint);
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(ttlSeconds);
      expect(payload.delegation).toEqual({
        method: 'implicit',
        granted_at: startMs / 1000 - 5,
        intent_summary: 'Summarise Q4',
      });
    }
  });

  it('refuses TTLs outside 10–300 s and non-integers with a TypeError', async () => {
    const sender = await signingSender();
    for (const ttlSeconds of [9, 301, 0, -60, 60.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(await rejection(sender.prepareOutOfSessionAct(act, { agentEndpoint, ttlSeconds }))).toEqual(
        new TypeError('prepareOutOfSessionAct: ttlSeconds must be a whole number of seconds from 10 to 300'),
      );
    }
  });

  it('signs the normalised agentEndpoint as aud, as getConfig() normalises AGENT_ENDPOINT', async () => {
    const sender = await signingSender();
    const cases: [string, string][] = [
      ['https://agent.example.com', 'https://agent.example.com/'],
      ['HTTPS://Agent.Example.COM:443/invoke', 'https://agent.example.com/invoke'],
      [agentEndpoint, agentEndpoint],
    ];
    for (const [given, normalised] of cases) {
      const jwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint: given });
      const { payload } = await verify(jwt, sender, normalised, new Date());
      expect(payload.aud).toBe(normalised);
      expect(payload.aud).toBe(new URL(given).href);
    }
  });

  it('applies the URL policy to agentEndpoint: https, loopback http only with the opt-in', async () => {
    const sender = await signingSender();
    const refused = {
      'http://agent.example.com/invoke': /must use https, not http/,
      'http://127.0.0.1:8080/invoke':
        /agentEndpoint is refused: https is required; for loopback tests set DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true \(or allowInsecureLoopback: true\)/,
      'https://user:pass@agent.example.com/': /must not contain a user name or password/,
      'ftp://agent.example.com/': /must use https, not ftp/,
      '/invoke': /is not an absolute URL/,
    };
    for (const [endpoint, problem] of Object.entries(refused)) {
      const error = await rejection(sender.prepareOutOfSessionAct(act, { agentEndpoint: endpoint }));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(problem);
    }
    const loopback = await signingSender('p256', { allowInsecureLoopback: true });
    const jwt = await loopback.prepareOutOfSessionAct(act, { agentEndpoint: 'http://127.0.0.1:8080/invoke' });
    expect((await verify(jwt, loopback, 'http://127.0.0.1:8080/invoke', new Date())).payload.aud).toBe(
      'http://127.0.0.1:8080/invoke',
    );
    const notLoopback = await rejection(
      loopback.prepareOutOfSessionAct(act, { agentEndpoint: 'http://10.0.0.1/' }),
    );
    expect((notLoopback as Error).message).toMatch(
      /must use https, not http: http is accepted only on a loopback host/,
    );
  });

  it("honours the config's insecure-loopback opt-in, unless allowInsecureLoopback overrides it", async () => {
    const agentEndpoint = 'http://127.0.0.1:8080/invoke';
    const fromConfig = await signingSender('p256', { config: { allowInsecureLoopback: true } });
    const jwt = await fromConfig.prepareOutOfSessionAct(act, { agentEndpoint });
    expect((await verify(jwt, fromConfig, agentEndpoint, new Date())).payload.aud).toBe(agentEndpoint);
    const overridden = await signingSender('p256', {
      config: { allowInsecureLoopback: true },
      allowInsecureLoopback: false,
    });
    expect(await rejection(overridden.prepareOutOfSessionAct(act, { agentEndpoint }))).toBeInstanceOf(
      TypeError,
    );
    const optedIn = await signingSender('p256', {
      config: { allowInsecureLoopback: false },
      allowInsecureLoopback: true,
    });
    await expect(optedIn.prepareOutOfSessionAct(act, { agentEndpoint })).resolves.toMatch(/\./);
    expect(() => new HybridSender({ allowInsecureLoopback: 'yes' as never })).toThrow(
      'HybridSender: allowInsecureLoopback must be a boolean',
    );
  });

  it('refuses an invalid act or delegation with a TypeError naming the field', async () => {
    const sender = await signingSender();
    expect(await rejection(sender.prepareOutOfSessionAct({ sub: '' }, { agentEndpoint }))).toEqual(
      new TypeError('prepareOutOfSessionAct: act sub: invalid min_length (expected >=1)'),
    );
    const badDelegation = { method: 'forced', grantedAt: 1 } as never;
    const error = await rejection(
      sender.prepareOutOfSessionAct(act, { agentEndpoint, delegation: badDelegation }),
    );
    expect((error as Error).message).toMatch(/^prepareOutOfSessionAct: delegation method/);
  });

  it('without a key is a ConfigurationError naming APP_PRIVATE_KEY_PATH', async () => {
    const error = await rejection(new HybridSender().prepareOutOfSessionAct(act, { agentEndpoint }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION', setting: 'APP_PRIVATE_KEY_PATH' });
    expect(() => new HybridSender().createActAssertionSigner()).toThrow(ConfigurationError);
    await expect(new HybridSender().publicJwks()).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('HybridSender.createActAssertionSigner', () => {
  const accessToken = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmaW5hbmNlLWFnZW50In0.c2lnbmF0dXJl';
  const input = (overrides: Partial<ActAssertionInput> = {}): ActAssertionInput => ({
    accessToken,
    agentId: 'finance-agent',
    act,
    delegation: createDelegation({ now: startMs }),
    audience: 'https://api.example.com',
    ...overrides,
  });

  for (const { kind, algorithm } of keyKinds) {
    it(`${algorithm}: signs act-assertion+jwt bound to the token (ath) and the agent (client_id)`, async () => {
      const sender = await signingSender(kind, { clock: () => startMs });
      const assertion = await sender.createActAssertionSigner()(input());
      const { payload, protectedHeader } = await verify(assertion, sender, 'https://api.example.com');
      expect(protectedHeader).toMatchObject({ alg: algorithm, typ: ACT_ASSERTION_TYPE });
      const now = startMs / 1000;
      expect(payload).toEqual({
        iss: appId,
        sub: act.sub,
        aud: 'https://api.example.com',
        iat: now,
        exp: now + 300,
        jti: expect.any(String),
        client_id: 'finance-agent',
        ath: await accessTokenHash(accessToken),
        act: { sub: act.sub },
        delegation: { method: 'explicit', granted_at: now },
        agbac_ver: AGBAC_VERSION,
      });
    });
  }

  it('takes a TTL, pins an audience, and refuses bad inputs with TypeErrors', async () => {
    const sender = await signingSender('p256', { clock: () => startMs });
    const signer = sender.createActAssertionSigner({ audience: 'https://api.example.com', ttlSeconds: 30 });
    const { payload } = await verify(await signer(input()), sender, 'https://api.example.com');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(30);
    expect(await rejection(signer(input({ audience: 'https://other.example.com' })))).toEqual(
      new TypeError('signActAssertion: audience is not the API this signer was created for'),
    );
    expect(await rejection(signer(input({ accessToken: '' })))).toBeInstanceOf(TypeError);
    expect(await rejection(signer(input({ agentId: ' ' })))).toBeInstanceOf(TypeError);
    expect(await rejection(signer(input({ act: { sub: '' } })))).toBeInstanceOf(TypeError);
    expect(await rejection(signer({ ...input(), delegation: undefined } as never))).toEqual(
      new TypeError('signActAssertion: delegation is required'),
    );
    expect(() => sender.createActAssertionSigner({ ttlSeconds: 301 })).toThrow(TypeError);
  });

  it('an act JWT and an act assertion carry different typ values', async () => {
    const sender = await signingSender();
    const assertion = await sender.createActAssertionSigner()(input());
    const actJwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint });
    expect(decodeProtectedHeader(assertion).typ).not.toBe(decodeProtectedHeader(actJwt).typ);
  });
});

describe('HybridSender keys', () => {
  it('reads a key file once and signs every JWT with the imported key', async () => {
    const path = await keyFile(pkcs8Pem('ed25519'));
    const sender = await HybridSender.create({ privateKeyPath: path, appId });
    await unlink(path);
    const jwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint });
    expect((await verify(jwt, sender, agentEndpoint, new Date())).protectedHeader.alg).toBe('EdDSA');
  });

  it('warns when the key file is readable by group or others, naming the mode, not the path or key', async () => {
    const { entries, logger } = recordingLogger();
    const path = await keyFile(pkcs8Pem('p256'), 0o644);
    await HybridSender.create({ privateKeyPath: path, appId, logger });
    expect(entries).toEqual([
      {
        level: 'warn',
        message: 'private key file is readable by group or others; restrict it with chmod 600',
        fields: { setting: 'APP_PRIVATE_KEY_PATH', mode: '0644' },
      },
    ]);
    const quiet = recordingLogger();
    await HybridSender.create({
      privateKeyPath: await keyFile(pkcs8Pem('p256'), 0o600),
      appId,
      logger: quiet.logger,
    });
    expect(quiet.entries).toEqual([]);
  });

  it('a missing, empty or malformed key file is a ConfigurationError naming APP_PRIVATE_KEY_PATH', async () => {
    const cases: [string, RegExp][] = [
      ['/nonexistent/dual-auth/key.pem', /APP_PRIVATE_KEY_PATH names a file that does not exist/],
      [await keyFile(''), /APP_PRIVATE_KEY_PATH is not a PEM private key/],
      [
        await keyFile('-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n'),
        /could not be parsed/,
      ],
      [await keyFile(pkcs8Pem('rsa1024')), /shorter than 2048 bits/],
    ];
    for (const [path, problem] of cases) {
      const error = await rejection(HybridSender.create({ privateKeyPath: path, appId }));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ setting: 'APP_PRIVATE_KEY_PATH' });
      expect((error as Error).message).toMatch(problem);
    }
    const directory = await rejection(HybridSender.create({ privateKeyPath: '/', appId }));
    expect((directory as Error).message).toBe('APP_PRIVATE_KEY_PATH names a file that is a directory.');
  });

  it.skipIf(process.platform === 'win32')(
    'a FIFO or device as the key file is refused at once as not a regular file',
    async () => {
      const fifo = join(mkdtempSync(join(tmpdir(), 'dual-auth-sender-fifo-')), 'key.pem');
      execFileSync('mkfifo', ['-m', '600', fifo]);
      for (const path of [fifo, '/dev/zero']) {
        const created = rejection(HybridSender.create({ privateKeyPath: path, appId }));
        let timer: NodeJS.Timeout | undefined;
        const hung = new Promise((resolve) => {
          timer = setTimeout(() => resolve('hung'), 3_000);
        });
        try {
          const error = await Promise.race([created, hung]);
          expect(error).toBeInstanceOf(ConfigurationError);
          expect(error).toMatchObject({
            setting: 'APP_PRIVATE_KEY_PATH',
            message:
              'APP_PRIVATE_KEY_PATH names a file that is not a regular file (a FIFO, socket or device).',
          });
        } finally {
          clearTimeout(timer);
          // Releases a reader blocked in open() on the FIFO (the bug); with no reader this is ENXIO.
          try {
            closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
          } catch {}
          await created;
        }
      }
    },
  );

  it('a sender built with new reports a bad key from ready() and from every signature', async () => {
    const sender = new HybridSender({ privateKey: pkcs8Pem('rsa1024'), appId });
    await expect(sender.ready()).rejects.toMatchObject({ code: 'ERR_CONFIGURATION', setting: 'privateKey' });
    await expect(sender.prepareOutOfSessionAct(act, { agentEndpoint })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
  });

  it('publishes the signing key and the rotation keys, public members only', async () => {
    const oldKey = nodeCrypto
      .createPublicKey(privateKeyOf('rsa'))
      .export({ format: 'pem', type: 'spki' }) as string;
    const sender = await HybridSender.create({
      privateKey: pkcs8Pem('p256'),
      appId,
      keyId: 'app-2026-11',
      verificationKeys: [oldKey, pkcs8Pem('ed25519'), pkcs8Pem('p256')],
    });
    const { keys } = await sender.publicJwks();
    expect(keys.map((key) => [key.kid, key.alg, key.use])).toEqual([
      ['app-2026-11', 'ES256', 'sig'],
      [expect.any(String), 'RS256', 'sig'],
      [expect.any(String), 'EdDSA', 'sig'],
      // the signing key given again as a rotation key gets its thumbprint as kid: published once more is harmless
      [expect.any(String), 'ES256', 'sig'],
    ]);
    for (const key of keys) {
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'])
        expect(key).not.toHaveProperty(member);
    }
    expect(JSON.stringify(keys)).not.toMatch(/"d"|"p"|"q"/);
    // A JWT the old key signed before the rotation still verifies; one from an unknown key does not.
    const signedWithOld = await (await signingSender('rsa')).prepareOutOfSessionAct(act, { agentEndpoint });
    expect((await verify(signedWithOld, sender, agentEndpoint, new Date())).protectedHeader.alg).toBe(
      'RS256',
    );
    const unknown = await (await signingSender('p384')).prepareOutOfSessionAct(act, { agentEndpoint });
    expect(await rejection(verify(unknown, sender, agentEndpoint, new Date()))).toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });

  it('refuses two different keys under one kid', async () => {
    const jwk = {
      ...(nodeCrypto.createPublicKey(privateKeyOf('ed25519')).export({ format: 'jwk' }) as object),
      kid: 'same',
    };
    const error = await rejection(
      HybridSender.create({
        privateKey: pkcs8Pem('p256'),
        appId,
        keyId: 'same',
        verificationKeys: [jwk as never],
      }),
    );
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION', setting: 'verificationKeys[0]' });
  });
});

describe('HybridSender construction (misuse is a TypeError)', () => {
  const cases: [string, unknown, string][] = [
    [
      'both key sources',
      { privateKey: pkcs8Pem('p256'), privateKeyPath: '/k.pem', appId },
      'pass privateKey or privateKeyPath, not both',
    ],
    [
      'a path given as privateKey',
      { privateKey: '/keys/app.pem', appId },
      'privateKey is not PEM or JWK text',
    ],
    [
      'a number as privateKey',
      { privateKey: 42, appId },
      'privateKey must be PEM text, a JWK, a CryptoKey or a CryptoKeyPair',
    ],
    [
      'a key without appId',
      { privateKey: pkcs8Pem('p256') },
      'appId (APP_ID) is required with a signing key',
    ],
    [
      'an empty appId',
      { privateKey: pkcs8Pem('p256'), appId: ' ' },
      'appId (APP_ID) must be a non-empty printable string',
    ],
    [
      'an empty path',
      { privateKeyPath: '', appId },
      'privateKeyPath (APP_PRIVATE_KEY_PATH) must be a non-empty path',
    ],
    [
      'a bad keyId',
      { privateKey: pkcs8Pem('p256'), appId, keyId: 'a b' },
      'keyId must be 1–128 printable ASCII',
    ],
    [
      'rotation keys without a key',
      { verificationKeys: [pkcs8Pem('p256')] },
      'verificationKeys need a signing key',
    ],
    [
      'a non-boolean opt-in',
      { allowEmailAsSubjectFallback: 'yes' },
      'allowEmailAsSubjectFallback must be a boolean',
    ],
    ['a bad logger', { logger: {} }, 'logger must implement'],
    ['a skew beyond 300 s', { clockSkewSeconds: 301 }, 'clockSkewSeconds must be between 0 and 300'],
  ];
  for (const [name, options, message] of cases) {
    it(`refuses ${name}`, () => {
      expect(() => new HybridSender(options as never)).toThrow(TypeError);
      expect(() => new HybridSender(options as never)).toThrow(message);
    });
  }
});

describe('HybridSender: minimum disclosure of the human on the wire', () => {
  const canary = {
    sub: 'f1234567-89ab-cdef-0123-456789abcdef',
    email: 'canary.human@example.com',
    name: 'Canary Humanname',
  };
  const accessToken = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmaW5hbmNlLWFnZW50In0.c2lnbmF0dXJl';
  const decodedPayload = (jwt: string) => Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8');

  async function signBoth(sender: HybridSender): Promise<string[]> {
    const session = new UserSession({ userId: canary.sub, userEmail: canary.email, userName: canary.name });
    const act = sender.extractActFromSession(session);
    // The application keeps the display claims in memory.
    expect(act).toEqual(canary);
    const actJwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint });
    const assertion = await sender.createActAssertionSigner()({
      accessToken,
      agentId: 'finance-agent',
      act,
      delegation: createDelegation(),
      audience: 'https://api.example.com',
    });
    return [actJwt, assertion].map(decodedPayload);
  }

  it('signs only the IAM id into act JWTs and act assertions by default', async () => {
    for (const payload of await signBoth(await signingSender('p256'))) {
      expect(JSON.parse(payload).act).toEqual({ sub: canary.sub });
      expect(payload).not.toContain(canary.email);
      expect(payload).not.toContain(canary.name);
    }
  });

  it('keeps the Entra object id, an IAM id, on the wire', async () => {
    const sender = await signingSender('p256');
    const jwt = await sender.prepareOutOfSessionAct(
      { sub: 'o-1', oid: 'o-1', email: canary.email },
      { agentEndpoint },
    );
    expect(JSON.parse(decodedPayload(jwt)).act).toEqual({ sub: 'o-1', oid: 'o-1' });
  });

  it('adds the display claims listed by actDisplayClaims, or by the config', async () => {
    for (const sender of [
      await signingSender('p256', { actDisplayClaims: ['email', 'name'] }),
      await signingSender('p256', {
        config: { allowInsecureLoopback: false, actDisplayClaims: ['email', 'name'] },
      }),
    ]) {
      for (const payload of await signBoth(sender)) expect(JSON.parse(payload).act).toEqual(canary);
    }
    const emailOnly = await signingSender('p256', {
      config: { allowInsecureLoopback: false, actDisplayClaims: ['email', 'name'] },
      actDisplayClaims: ['email'],
    });
    for (const payload of await signBoth(emailOnly)) {
      expect(JSON.parse(payload).act).toEqual({ sub: canary.sub, email: canary.email });
    }
  });

  it('refuses an unknown display claim with a ConfigurationError naming the setting', () => {
    expect(() => new HybridSender({ actDisplayClaims: ['phone' as never] })).toThrow(ConfigurationError);
    expect(() => new HybridSender({ actDisplayClaims: ['phone' as never] })).toThrow(
      expect.objectContaining({ setting: 'DUAL_AUTH_ACT_DISPLAY_CLAIMS' }),
    );
  });
});
