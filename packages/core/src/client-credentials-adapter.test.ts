import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, constants, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../test/loopback-server.ts';
import { ClientCredentialsAdapter, type ClientCredentialsRules } from './client-credentials-adapter.ts';
import type { DualAuthConfig } from './config-definition.ts';
import { ConfigurationError, TokenRequestError } from './errors.ts';
import type { ActAssertionInput } from './idp-adapter.ts';
import type { LogFields } from './logger.ts';
import { Secret } from './secret.ts';

const canarySecret = 'canary-secret-7f3a9c1e-not-for-logs';
const canaryToken = 'eyJhbGciOiJSUzI1NiJ9.eyJjYW5hcnkiOnRydWV9.Y2FuYXJ5LXRva2Vu';
const act = { sub: 'user-1', email: 'alice@example.com', name: 'Alice' };

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function configFor(tokenUrl: string, overrides: Partial<DualAuthConfig> = {}): DualAuthConfig {
  return {
    vendor: 'okta',
    secretsBackend: 'env',
    tokenUrl,
    clientId: 'finance agent',
    clientSecret: new Secret(canarySecret),
    audience: 'https://api.example.com',
    scope: ['finance.read'],
    appId: undefined,
    appPrivateKeyPath: undefined,
    appPublicKeyPath: undefined,
    agentEndpoint: undefined,
    apiUrl: undefined,
    allowInsecureLoopback: true,
    settings: {},
    ...overrides,
  };
}

const rules: ClientCredentialsRules = {
  vendor: 'okta',
  tokenUrlSetting: 'OKTA_TOKEN_URL',
  defaultMode: 'agbac',
  authMethods: {
    agbac: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'],
    hybrid: ['client_secret_basic'],
  },
  defaultAuthMethod: { agbac: 'client_secret_basic', hybrid: 'client_secret_basic' },
  assertionAudience: (url) => url.href,
  audience: 'https://api.example.com',
  requestParts: ({ mode, act: human, scope }) => ({
    fields: { scope: scope.join(' ') },
    ...(mode === 'agbac' ? { assertionClaims: { act: human } } : {}),
  }),
};

async function tokenServer(
  status = 200,
  body: unknown = { access_token: canaryToken, token_type: 'Bearer', expires_in: 60 },
) {
  server = await startLoopbackServer((_request, response) => sendJson(response, status, body));
  return server;
}

describe('ClientCredentialsAdapter', () => {
  it('authenticates with client_secret_basic, form-encoding both parts', async () => {
    const { url, requests } = await tokenServer();
    const adapter = new ClientCredentialsAdapter(configFor(url), {}, rules);
    await adapter.requestToken({ agentId: 'finance agent', act });
    const expected = Buffer.from(`finance+agent:${canarySecret}`).toString('base64');
    expect(requests[0]?.headers.authorization).toBe(`Basic ${expected}`);
    expect(requests[0]?.body).toBe('grant_type=client_credentials&scope=finance.read');
  });

  it('authenticates with client_secret_post', async () => {
    const { url, requests } = await tokenServer();
    const adapter = new ClientCredentialsAdapter(configFor(url), { authMethod: 'client_secret_post' }, rules);
    await adapter.requestToken({ agentId: 'finance agent', act, scope: ['a', 'b'] });
    expect(Object.fromEntries(new URLSearchParams(requests[0]?.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'a b',
      client_id: 'finance agent',
      client_secret: canarySecret,
    });
  });

  it('puts the vendor claims into a client_secret_jwt assertion', async () => {
    const { url, requests } = await tokenServer();
    const adapter = new ClientCredentialsAdapter(
      configFor(url, { settings: { AGENT_AUTH_METHOD: 'client_secret_jwt' } }),
      {},
      rules,
    );
    expect(adapter.authMethod).toBe('client_secret_jwt');
    await adapter.requestToken({ agentId: 'finance agent', act });
    const fields = new URLSearchParams(requests[0]?.body);
    expect(fields.get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    const { payload } = await jwtVerify(
      fields.get('client_assertion') ?? '',
      new TextEncoder().encode(canarySecret),
      {
        audience: url,
        issuer: 'finance agent',
      },
    );
    expect(payload.act).toEqual({ sub: act.sub });
  });

  it('discloses email and name in the client assertion and to the signer only when configured', async () => {
    const { url, requests } = await tokenServer();
    const assertionAct = async (adapter: ClientCredentialsAdapter, index: number) => {
      await adapter.requestToken({ agentId: 'finance agent', act });
      const fields = new URLSearchParams(requests[index]?.body);
      const { payload } = await jwtVerify(
        fields.get('client_assertion') ?? '',
        new TextEncoder().encode(canarySecret),
      );
      expect(requests[index]?.body).not.toContain(encodeURIComponent(act.email));
      return payload.act;
    };
    const settings = { AGENT_AUTH_METHOD: 'client_secret_jwt' };
    const minimal = new ClientCredentialsAdapter(configFor(url, { settings }), {}, rules);
    expect(await assertionAct(minimal, 0)).toEqual({ sub: act.sub });
    const fromConfig = new ClientCredentialsAdapter(
      configFor(url, { settings, actDisplayClaims: ['email', 'name'] }),
      {},
      rules,
    );
    expect(await assertionAct(fromConfig, 1)).toEqual(act);
    const overridden = new ClientCredentialsAdapter(
      configFor(url, { settings, actDisplayClaims: ['email', 'name'] }),
      { actDisplayClaims: ['name'] },
      rules,
    );
    expect(await assertionAct(overridden, 2)).toEqual({ sub: act.sub, name: act.name });
    expect(
      () => new ClientCredentialsAdapter(configFor(url), { actDisplayClaims: ['phone' as never] }, rules),
    ).toThrow(expect.objectContaining({ setting: 'DUAL_AUTH_ACT_DISPLAY_CLAIMS' }));
  });

  it('attaches the signed act assertion in hybrid mode', async () => {
    const { url } = await tokenServer();
    const calls: ActAssertionInput[] = [];
    const adapter = new ClientCredentialsAdapter(
      configFor(url),
      {
        mode: 'hybrid',
        signActAssertion: async (input) => {
          calls.push(input);
          return 'act-assertion';
        },
      },
      rules,
    );
    const tokenResponse = await adapter.requestToken({ agentId: 'finance agent', act });
    expect(tokenResponse.actAssertion).toBe('act-assertion');
    expect(calls).toEqual([
      {
        accessToken: canaryToken,
        agentId: 'finance agent',
        act: { sub: act.sub },
        delegation: { method: 'explicit', grantedAt: expect.any(Number) },
        audience: 'https://api.example.com',
      },
    ]);
  });

  it('refuses misuse with a TypeError when built', () => {
    const config = configFor('https://idp.example.com/token');
    expect(() => new ClientCredentialsAdapter(config, { mode: 'hybrid' }, rules)).toThrow(
      'hybrid mode needs options.signActAssertion',
    );
    expect(() => new ClientCredentialsAdapter(config, { mode: 'nope' as 'agbac' }, rules)).toThrow(TypeError);
    expect(() => new ClientCredentialsAdapter(config, { authMethod: 'private_key_jwt' }, rules)).toThrow(
      'private_key_jwt is not accepted by okta in agbac mode',
    );
    expect(() => new ClientCredentialsAdapter(config, { timeoutMs: -1 }, rules)).toThrow(TypeError);
    expect(() => new ClientCredentialsAdapter({} as DualAuthConfig, {}, rules)).toThrow(
      'config must be a DualAuthConfig from getConfig()',
    );
    expect(
      () =>
        new ClientCredentialsAdapter(
          config,
          { mode: 'agbac' },
          { ...rules, authMethods: { agbac: [], hybrid: ['client_secret_basic'] } },
        ),
    ).toThrow('options.mode cannot be agbac with okta');
  });

  it('refuses bad settings with a ConfigurationError naming them', () => {
    const cases: [DualAuthConfig, string][] = [
      [configFor('http://idp.example.com/token'), 'OKTA_TOKEN_URL'],
      [configFor('https://idp.example.com/token', { clientSecret: undefined }), 'AGENT_CLIENT_SECRET'],
      [
        configFor('https://idp.example.com/token', { settings: { DUAL_AUTH_MODE: 'both' } }),
        'DUAL_AUTH_MODE',
      ],
      [
        configFor('https://idp.example.com/token', { settings: { AGENT_AUTH_METHOD: 'mtls' } }),
        'AGENT_AUTH_METHOD',
      ],
    ];
    for (const [config, setting] of cases) {
      expect(() => new ClientCredentialsAdapter(config, {}, rules)).toThrow(ConfigurationError);
      try {
        new ClientCredentialsAdapter(config, {}, rules);
      } catch (error) {
        expect((error as ConfigurationError).setting).toBe(setting);
      }
    }
  });

  it('holds one agent: another agentId or an invalid act is a TypeError', async () => {
    const adapter = new ClientCredentialsAdapter(configFor('https://idp.example.com/token'), {}, rules);
    await expect(adapter.requestToken({ agentId: 'rogue-agent', act })).rejects.toThrow(
      'agentId must equal the configured client id',
    );
    await expect(adapter.requestToken({ agentId: 'finance agent', act: { sub: '' } })).rejects.toThrow(
      'act is invalid',
    );
  });

  it('refuses a delegation that has already expired with a TypeError, before any request', async () => {
    const { url, requests } = await tokenServer();
    const nowMs = Date.parse('2026-06-01T12:00:00Z');
    const nowSeconds = nowMs / 1000;
    const adapter = new ClientCredentialsAdapter(configFor(url), { clock: () => nowMs }, rules);
    const delegation = (expiresAt: number) => ({
      method: 'explicit' as const,
      grantedAt: nowSeconds - 60,
      expiresAt,
    });
    for (const expiresAt of [nowSeconds - 1, nowSeconds]) {
      const error = await adapter
        .requestToken({ agentId: 'finance agent', act, delegation: delegation(expiresAt) })
        .catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe('delegation is invalid: expiresAt is in the past');
    }
    expect(requests).toHaveLength(0);
    await adapter.requestToken({ agentId: 'finance agent', act, delegation: delegation(nowSeconds + 1) });
    expect(requests).toHaveLength(1);
  });

  it('never leaks the secret or the token into errors, logs or serialized objects', async () => {
    const lines: string[] = [];
    const capture = (message: string, fields?: LogFields) =>
      lines.push(`${message} ${inspect(fields)} ${JSON.stringify(fields)}`);
    const logger = { debug: capture, info: capture, warn: capture, error: capture };
    const { url } = await tokenServer();
    const ok = new ClientCredentialsAdapter(
      configFor(url, { settings: { AGENT_AUTH_METHOD: 'client_secret_jwt' } }),
      { logger },
      rules,
    );
    const tokenResponse = await ok.requestToken({ agentId: 'finance agent', act });
    await server?.close();
    server = await startLoopbackServer((_request, response) =>
      sendJson(response, 401, { error: 'invalid_client', error_description: 'Invalid client credentials' }),
    );
    const refused = new ClientCredentialsAdapter(
      configFor(server.url),
      { logger, authMethod: 'client_secret_post' },
      rules,
    );
    const error = await refused
      .requestToken({ agentId: 'finance agent', act })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TokenRequestError);
    const outputs = [
      ...lines,
      JSON.stringify(tokenResponse),
      inspect(tokenResponse),
      String(tokenResponse),
      JSON.stringify(ok),
      inspect(ok, { depth: 5 }),
      (error as Error).message,
      inspect(error, { depth: 5 }),
      JSON.stringify(error),
    ].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const canary of [canarySecret, canaryToken, 'alice@example.com', 'Alice']) {
      expect(outputs).not.toContain(canary);
    }
  });

  describe('with AGENT_PRIVATE_KEY_PATH', () => {
    async function keyFile(mode: number, content?: string) {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const path = join(mkdtempSync(join(tmpdir(), 'dual-auth-agent-key-')), 'agent.pem');
      writeFileSync(path, content ?? (await exportPKCS8(privateKey)));
      chmodSync(path, mode);
      return { path, publicKey };
    }

    it('signs private_key_jwt with the key file, read once, and warns when others can read it', async () => {
      const { url, requests } = await tokenServer();
      const { path, publicKey } = await keyFile(0o644);
      const warnings: string[] = [];
      const logger = {
        debug: () => {},
        info: () => {},
        warn: (message: string) => void warnings.push(message),
        error: () => {},
      };
      const settings = {
        AGENT_PRIVATE_KEY_PATH: path,
        AGENT_PRIVATE_KEY_ALG: 'ES256',
        AGENT_PRIVATE_KEY_ID: 'k-7',
      };
      const adapter = new ClientCredentialsAdapter(
        configFor(url, { clientSecret: undefined, settings }),
        { logger },
        { ...rules, authMethods: { ...rules.authMethods, agbac: ['private_key_jwt'] } },
      );
      expect(adapter.authMethod).toBe('private_key_jwt');
      await adapter.requestToken({ agentId: 'finance agent', act });
      await adapter.requestToken({ agentId: 'finance agent', act });
      const assertion = new URLSearchParams(requests[1]?.body).get('client_assertion') ?? '';
      await expect(jwtVerify(assertion, publicKey, { audience: url })).resolves.toBeDefined();
      expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'ES256', kid: 'k-7' });
      expect(warnings).toEqual(['agent private key file is readable by group or others; chmod 600 it']);
    });

    it('reports a missing or malformed key file as a ConfigurationError naming the setting, not the content', async () => {
      const pkRules = {
        ...rules,
        authMethods: { ...rules.authMethods, agbac: ['private_key_jwt' as const] },
      };
      const malformed = await keyFile(
        0o600,
        '-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LWNhbmFyeQ==\n-----END PRIVATE KEY-----\n',
      );
      for (const path of [malformed.path, join(tmpdir(), 'dual-auth-no-such-key.pem')]) {
        const adapter = new ClientCredentialsAdapter(
          configFor('https://idp.example.com/token', { settings: { AGENT_PRIVATE_KEY_PATH: path } }),
          {},
          pkRules,
        );
        const error = await adapter
          .requestToken({ agentId: 'finance agent', act })
          .catch((reason: unknown) => reason);
        expect(error).toBeInstanceOf(ConfigurationError);
        expect(error).toMatchObject({ setting: 'AGENT_PRIVATE_KEY_PATH' });
        expect(inspect(error, { depth: 5 })).not.toContain('bm90LWEta2V5LWNhbmFyeQ');
      }
      expect(
        () =>
          new ClientCredentialsAdapter(
            configFor('https://idp.example.com/token', {
              settings: { AGENT_PRIVATE_KEY_PATH: malformed.path, AGENT_PRIVATE_KEY_ALG: 'HS256' },
            }),
            {},
            pkRules,
          ),
      ).toThrow(expect.objectContaining({ setting: 'AGENT_PRIVATE_KEY_ALG' }));
    });

    it.skipIf(process.platform === 'win32')(
      'refuses a FIFO or a directory as the key file with a ConfigurationError naming the setting',
      async () => {
        const fifo = join(mkdtempSync(join(tmpdir(), 'dual-auth-agent-key-')), 'agent.pem');
        execFileSync('mkfifo', ['-m', '600', fifo]);
        const pkRules = {
          ...rules,
          authMethods: { ...rules.authMethods, agbac: ['private_key_jwt' as const] },
        };
        for (const [path, reason] of [
          [fifo, 'is not a regular file (a FIFO, socket or device)'],
          [tmpdir(), 'is a directory'],
        ] as const) {
          const adapter = new ClientCredentialsAdapter(
            configFor('https://idp.example.com/token', { settings: { AGENT_PRIVATE_KEY_PATH: path } }),
            {},
            pkRules,
          );
          const request = adapter
            .requestToken({ agentId: 'finance agent', act })
            .catch((reason: unknown) => reason);
          let timer: NodeJS.Timeout | undefined;
          const hung = new Promise((resolve) => {
            timer = setTimeout(() => resolve('hung'), 3_000);
          });
          try {
            const error = await Promise.race([request, hung]);
            expect(error).toBeInstanceOf(ConfigurationError);
            expect(error).toMatchObject({
              setting: 'AGENT_PRIVATE_KEY_PATH',
              message: `AGENT_PRIVATE_KEY_PATH names a file that ${reason}.`,
            });
          } finally {
            clearTimeout(timer);
            // Releases a reader blocked in open() on the FIFO (the bug); with no reader this is ENXIO.
            try {
              closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
            } catch {}
            await request;
          }
        }
      },
    );
  });
});
