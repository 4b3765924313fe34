// Exchange mode against the embedded Okta profile, whose on-behalf-of token exchange follows
// "Set up OAuth 2.0 On-Behalf-Of Token Exchange" (developer.okta.com/docs/guides/set-up-token-exchange:
// the request with Basic authentication, subject_token_type access_token, scope and audience) and
// Okta's OAuth 2.0 error catalogue (okta/okta-developer-docs
// packages/@okta/vuepress-site/data/oauth2-error-codes.json, release 2026.08.1, by internalErrorCode).
// The human's token comes from the profile's Resource Owner Password grant
// (docs/guides/implement-grant-type/ropassword).
import { inspect } from 'node:util';
import {
  type AdapterOptions,
  ConfigurationError,
  type DualAuthConfig,
  Secret,
  TokenRequestError,
} from '@dual-auth/core';
import {
  capturingLogger,
  type IdpProfile,
  oktaNativeApp,
  requestOktaHumanToken,
  testConfig,
} from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { OktaAdapter } from '../src/index.ts';

const idp = useEmbeddedIdp({ vendors: ['okta'], webClients: [oktaNativeApp] });
let okta: IdpProfile;
beforeAll(() => {
  okta = idp.profile('okta');
});

function human(name: string) {
  const found = okta.humans.find((candidate) => candidate.email === `${name}@example.com`);
  if (found === undefined) throw new Error(`fixture human ${name} missing`);
  return found;
}

function configFor(clientId: string, overrides: Partial<DualAuthConfig> = {}): DualAuthConfig {
  const agent = okta.agents.find((candidate) => candidate.clientId === clientId);
  if (agent === undefined) throw new Error(`fixture agent ${clientId} missing`);
  return testConfig({
    vendor: 'okta',
    tokenUrl: okta.tokenEndpoint,
    clientId,
    clientSecret: new Secret(agent.clientSecret),
    audience: okta.audience,
    scope: ['finance.read'],
    ...overrides,
  });
}

function exchangeAdapter(
  clientId: string,
  options: AdapterOptions = {},
  overrides: Partial<DualAuthConfig> = {},
) {
  return new OktaAdapter(configFor(clientId, overrides), {
    mode: 'exchange',
    retry: { limit: 0 },
    ...options,
  });
}

/** A fetch that keeps what the adapter sent and passes it on to the embedded IdP. */
function recordingFetch() {
  const sent: { headers: Headers; body: URLSearchParams }[] = [];
  const fetchAndRecord: typeof fetch = async (input, init) => {
    sent.push({ headers: new Headers(init?.headers), body: new URLSearchParams(String(init?.body)) });
    return fetch(input, init);
  };
  return { sent, fetch: fetchAndRecord };
}

async function aliceToken(): Promise<Secret> {
  return new Secret(await requestOktaHumanToken(okta.tokenEndpoint, 'alice'));
}

describe('OktaAdapter exchange mode: the request on the wire', () => {
  it("sends Okta's token exchange with Basic authentication, scope and the server's audience", async () => {
    const { sent, fetch } = recordingFetch();
    const subjectToken = await aliceToken();
    const adapter = exchangeAdapter('finance-agent', { fetch });
    expect(adapter).toMatchObject({ mode: 'exchange', authMethod: 'client_secret_basic' });
    const tokenResponse = await adapter.requestToken({
      agentId: 'finance-agent',
      act: { sub: human('alice').id },
      subjectToken,
    });
    expect(sent).toHaveLength(1);
    const [{ headers, body }] = sent as [(typeof sent)[number]];
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: subjectToken.reveal(),
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      scope: 'finance.read',
      audience: okta.audience,
    });
    expect(headers.get('authorization')).toMatch(/^Basic /);
    const claims = decodeJwt(tokenResponse.accessToken);
    expect(claims).toMatchObject({
      iss: okta.issuer,
      aud: okta.audience,
      cid: 'finance-agent',
      uid: human('alice').id,
      sub: 'alice@example.com',
      scp: ['finance.read'],
    });
    expect(claims.act).toBeUndefined();
    expect(decodeProtectedHeader(tokenResponse.accessToken).typ).toBeUndefined();
    expect(tokenResponse.actAssertion).toBeUndefined();
  });

  it('authenticates with client_secret_post and private_key_jwt too (assertion aud = the token URL)', async () => {
    const post = recordingFetch();
    await exchangeAdapter('finance-agent', {
      fetch: post.fetch,
      authMethod: 'client_secret_post',
    }).requestToken({
      agentId: 'finance-agent',
      act: { sub: human('alice').id },
      subjectToken: await aliceToken(),
    });
    expect(post.sent[0]?.body.get('client_id')).toBe('finance-agent');
    expect(post.sent[0]?.headers.get('authorization')).toBeNull();

    const agent = okta.agents.find((candidate) => candidate.clientId === 'finance-agent');
    if (agent?.privateJwk === undefined) throw new Error('finance-agent has no key in the fixture');
    const jwt = recordingFetch();
    await exchangeAdapter('finance-agent', {
      fetch: jwt.fetch,
      privateKey: {
        key: agent.privateJwk,
        alg: 'RS256',
        ...(agent.privateJwk.kid ? { kid: agent.privateJwk.kid } : {}),
      },
    }).requestToken({
      agentId: 'finance-agent',
      act: { sub: human('alice').id },
      subjectToken: await aliceToken(),
    });
    expect(decodeJwt(jwt.sent[0]?.body.get('client_assertion') ?? '').aud).toBe(okta.tokenEndpoint);
  });

  it('reads DUAL_AUTH_MODE=exchange and needs no act-assertion signer', () => {
    const config = configFor('finance-agent');
    const adapter = new OktaAdapter({
      ...config,
      settings: { ...config.settings, DUAL_AUTH_MODE: 'exchange' },
    });
    expect(adapter.mode).toBe('exchange');
  });
});

describe('OktaAdapter exchange mode: settings checked at construction', () => {
  it("refuses the org authorization server's token URL, naming OKTA_TOKEN_URL", () => {
    const tokenUrl = `${idp.baseUrl}/oauth2/v1/token`;
    const attempt = () => exchangeAdapter('finance-agent', {}, { tokenUrl });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(expect.objectContaining({ setting: 'OKTA_TOKEN_URL' }));
    expect(attempt).toThrow(/custom authorization server/);
  });

  it('refuses a missing API_AUDIENCE', () => {
    const attempt = () => exchangeAdapter('finance-agent', {}, { audience: undefined });
    expect(attempt).toThrow(expect.objectContaining({ setting: 'API_AUDIENCE' }));
  });
});

describe("OktaAdapter exchange mode: Okta's refusals as typed errors", () => {
  const cases: {
    name: string;
    clientId?: string;
    subject?: 'garbage' | 'other-server';
    overrides?: Partial<DualAuthConfig>;
    scope?: string[];
    expected: { status: number; oauthError: string; vendorCode: string };
    fix: RegExp;
  }[] = [
    {
      name: 'a service app no access-policy rule lets exchange',
      clientId: 'rogue-agent',
      expected: { status: 401, oauthError: 'access_denied', vendorCode: 'no_matching_policy' },
      fix: /rule allowing the Token Exchange grant/,
    },
    {
      name: 'a service app without the Token Exchange grant',
      clientId: 'directory-reader',
      expected: { status: 400, oauthError: 'unauthorized_client', vendorCode: 'unauthorized_client' },
      fix: /Select Token Exchange as a grant type/,
    },
    {
      name: 'a subject token Okta cannot verify',
      subject: 'garbage',
      expected: { status: 400, oauthError: 'invalid_request', vendorCode: 'invalid_subject_token' },
      fix: /Pass the access token the application received for the human/,
    },
    {
      name: 'a subject token of an untrusted authorization server',
      subject: 'other-server',
      expected: { status: 403, oauthError: 'access_denied', vendorCode: 'associated_server_not_trusted' },
      fix: /Trusted servers of aus-dual-auth/,
    },
    {
      name: "an audience other than the server's",
      overrides: { audience: 'api://default' },
      expected: { status: 400, oauthError: 'invalid_target', vendorCode: 'token_exchange_invalid_audience' },
      fix: /Set API_AUDIENCE to that server's Audience/,
    },
    {
      name: 'an OpenID Connect scope',
      scope: ['openid', 'finance.read'],
      expected: { status: 400, oauthError: 'invalid_scope', vendorCode: 'openid_not_allowed_token_exchange' },
      fix: /custom scopes only/,
    },
    {
      name: 'a scope the server does not define',
      scope: ['payroll.admin'],
      expected: { status: 400, oauthError: 'invalid_scope', vendorCode: 'no_matching_scope' },
      fix: /does not define every scope of payroll\.admin/,
    },
  ];

  it.each(cases)(
    'maps $name',
    async ({ clientId = 'finance-agent', subject, overrides, scope, expected, fix }) => {
      const { logger, lines } = capturingLogger();
      const subjectToken =
        subject === 'garbage'
          ? new Secret('canary-subject-token-0123456789')
          : subject === 'other-server'
            ? new Secret(
                `eyJhbGciOiJSUzI1NiJ9.${btoa(JSON.stringify({ iss: `${idp.baseUrl}/oauth2/aus-other` })).replace(/=+$/, '')}.c2ln`,
              )
            : await aliceToken();
      const error = await exchangeAdapter(clientId, { logger }, overrides)
        .requestToken({
          agentId: clientId,
          act: { sub: human('alice').id },
          subjectToken,
          ...(scope ? { scope } : {}),
        })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(TokenRequestError);
      expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST', ...expected });
      expect((error as Error).message).toMatch(fix);
      expect((error as Error).cause).toBeInstanceOf(TokenRequestError);
      // The human's token is in no log line, error text, JSON or inspect output (cause included).
      const texts = [
        ...lines,
        String(error),
        JSON.stringify(error),
        inspect(error, { depth: 10, showHidden: true }),
      ];
      expect(texts.filter((text) => text.includes(subjectToken.reveal()))).toEqual([]);
    },
  );

  it.each([
    // catalogue token_exchange_subject_token_expired and unsupported_grant_type_token_exchange: the
    // embedded IdP issues a test no expired human token and has no org server, so these answers are
    // Okta's documented bodies at the wire (the emulated expiry rule: testkit okta-token-exchange.test.ts).
    [
      400,
      'invalid_grant',
      "The 'subject_token' either expired or the session associated with it was terminated.",
      'token_exchange_subject_token_expired',
      /get a fresh access token for the human/,
    ],
    [
      400,
      'unsupported_grant_type',
      "'urn:ietf:params:oauth:grant-type:token-exchange' grant type is not supported.",
      'unsupported_grant_type_token_exchange',
      /custom authorization server/,
    ],
  ])('maps %i %s (%s)', async (status, error, description, vendorCode, fix) => {
    const adapter = exchangeAdapter('finance-agent', {
      fetch: async () => Response.json({ error, error_description: description }, { status }),
    });
    const subjectToken = new Secret('canary-expired-subject-token-0123');
    const caught = await adapter
      .requestToken({ agentId: 'finance-agent', act: { sub: human('alice').id }, subjectToken })
      .catch((reason: unknown) => reason);
    expect(caught).toMatchObject({ status, oauthError: error, vendorCode });
    expect(String(caught)).toMatch(fix);
    expect(inspect(caught, { depth: 10 })).not.toContain(subjectToken.reveal());
  });

  it('refuses a request without a subject token before calling Okta', async () => {
    const { sent, fetch } = recordingFetch();
    await expect(
      exchangeAdapter('finance-agent', { fetch }).requestToken({
        agentId: 'finance-agent',
        act: { sub: human('alice').id },
      }),
    ).rejects.toThrow(/exchange mode needs subjectToken/);
    expect(sent).toEqual([]);
  });
});
