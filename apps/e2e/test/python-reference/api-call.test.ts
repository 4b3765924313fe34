// Issue 13: the real Python reference's API clients (dual_auth 1.0.1 InSessionAPICall and
// OutOfSessionAPICall) against a loopback API protected by @dual-auth/verifier, with tokens from the
// embedded IdP; and its own vendor adapters at the embedded IdP, where its token layouts meet ours.
//
// Its API clients (api/insession_api_call.py lines 145-154 and 228-259, api/outofsession_api_call.py
// the same) insist on https, send `Authorization: Bearer <access_token>` and, when the token response
// has one, `X-Act-Assertion: <act_assertion>`: the headers our verifier reads in every layout.
import type { DelegationMode, Vendor } from '@dual-auth/core';
import { HybridSender } from '@dual-auth/sender';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import type { Verifier } from '@dual-auth/verifier';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  agentNamed,
  apiVerifier,
  configFor,
  type HttpsServer,
  humanNamed,
  routeRequirements,
  sendJson,
  startHttpsServer,
  vendorCases,
  vendors,
} from '../harness.ts';
import {
  type PythonFailure,
  type PythonTokenResponse,
  requirePythonReference,
  runPythonDriver,
} from './python-driver.ts';
import { createSeedApplicationKeys, type SeedApplicationKeys, seedSettings } from './seed-application.ts';

type Policy = 'default' | 'no-delegation';

// Each Python run starts an interpreter (0.3-1 s on a shared machine); some tests make several.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const idp = useEmbeddedIdp();
let keys: SeedApplicationKeys;
let sender: HybridSender;
let api: HttpsServer;
const verifiers = new Map<string, Verifier>();

const nativeMode = (vendor: Vendor): DelegationMode => vendorCases[vendor].modes[0] ?? 'agbac';

beforeAll(async () => {
  requirePythonReference();
  keys = createSeedApplicationKeys();
  sender = await HybridSender.create({
    privateKeyPath: keys.privateKeyPath,
    appId: 'https://app.dual-auth.test',
  });
  const appKeys = await sender.publicJwks();

  // `/api/{vendor}/{policy}`: the vendor's native layout; `no-delegation` for agents that never
  // send a delegation (the Python reference has none).
  api = await startHttpsServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'https://127.0.0.1').pathname;
    const [, , vendor, policy] = path.split('/') as [string, string, Vendor, Policy];
    const key = `${vendor}/${policy}`;
    let verifier = verifiers.get(key);
    if (verifier === undefined) {
      verifier = apiVerifier({
        profile: idp.profile(vendor),
        layout: nativeMode(vendor),
        appKeys,
        ...(policy === 'no-delegation' ? { requireDelegation: false } : {}),
      });
      verifiers.set(key, verifier);
    }
    const actAssertion = request.headers['x-act-assertion'];
    const decision = await verifier.verify(
      {
        authorization: request.headers.authorization,
        actAssertion: typeof actAssertion === 'string' ? actAssertion : undefined,
        method: request.method,
        path,
      },
      routeRequirements(vendor),
    );
    if (!decision.allow)
      return sendJson(response, decision.status, { error: decision.code, reason: decision.reason });
    sendJson(response, 200, { agent: decision.agent.id, human: decision.human.id });
  });
});

afterAll(async () => {
  await api?.close();
  keys?.remove();
});

type ApiAnswer = { ok: true; status: number; body: Record<string, unknown> } | PythonFailure;

function pythonCallApi(
  client: 'in-session' | 'out-of-session',
  url: string,
  tokenResponse: { accessToken: string; actAssertion?: string | undefined | null },
): Promise<ApiAnswer> {
  return runPythonDriver<ApiAnswer>('call_api', {
    client,
    api_url: url,
    method: 'GET',
    token_response: {
      access_token: tokenResponse.accessToken,
      token_type: 'Bearer',
      expires_in: 300,
      scope: '',
      act_assertion: tokenResponse.actAssertion ?? null,
    },
  });
}

function pythonRequestToken(vendor: Vendor): Promise<PythonTokenResponse | PythonFailure> {
  const profile = idp.profile(vendor);
  const alice = humanNamed(profile, 'alice');
  return runPythonDriver<PythonTokenResponse | PythonFailure>(
    'request_token',
    {
      agent_id: 'finance-agent',
      act: { sub: alice.id, email: alice.email, name: alice.name },
      scope: profile.scope,
    },
    seedSettings(profile, agentNamed(profile, 'finance-agent'), keys),
  );
}

describe.each(vendors)('%s: its API clients carry our tokens to our verifier', (vendor) => {
  it('InSessionAPICall and OutOfSessionAPICall are let through with the agent and the human', async () => {
    const profile = idp.profile(vendor);
    const alice = humanNamed(profile, 'alice');
    const mode = nativeMode(vendor);
    const adapter = vendorCases[vendor].createAdapter(
      configFor(profile, agentNamed(profile, 'finance-agent')),
      {
        mode,
        ...(mode === 'hybrid'
          ? { signActAssertion: sender.createActAssertionSigner({ audience: profile.audience }) }
          : {}),
      },
    );
    const tokenResponse = await adapter.requestToken({
      agentId: 'finance-agent',
      act: { sub: alice.id, email: alice.email, name: alice.name },
      scope: profile.scope,
    });
    for (const client of ['in-session', 'out-of-session'] as const) {
      expect(await pythonCallApi(client, `${api.url}/api/${vendor}/default`, tokenResponse), client).toEqual({
        ok: true,
        status: 200,
        body: { agent: 'finance-agent', human: alice.id },
      });
    }
    // Its clients refuse http before sending anything (insession_api_call.py line 146).
    expect(
      await pythonCallApi('in-session', `http://127.0.0.1:9/api/${vendor}/default`, tokenResponse),
    ).toMatchObject({
      ok: false,
      error_type: 'ValueError',
      message: 'API URL must use HTTPS',
    });
  });
});

describe('its adapters at the embedded IdP, then its API client to our verifier', () => {
  it('keycloak: its client_secret_jwt token carries the human but no delegation', async () => {
    const token = await pythonRequestToken('keycloak');
    expect(token).toMatchObject({ ok: true, act_assertion: null });
    const alice = humanNamed(idp.profile('keycloak'), 'alice');
    const accessToken = token.ok ? token.access_token : '';
    expect(decodeJwt(accessToken).act).toMatchObject({ sub: alice.id });
    expect(decodeJwt(accessToken).delegation).toBeUndefined();
    expect(await pythonCallApi('in-session', `${api.url}/api/keycloak/default`, { accessToken })).toEqual({
      ok: true,
      status: 403,
      body: { error: 'delegation_invalid', reason: 'delegation claim missing' },
    });
    expect(
      await pythonCallApi('in-session', `${api.url}/api/keycloak/no-delegation`, { accessToken }),
    ).toEqual({
      ok: true,
      status: 200,
      body: { agent: 'finance-agent', human: alice.id },
    });
  });

  it('entraid: its hybrid act assertion is bound to no token and no agent, so our verifier refuses it', async () => {
    const token = await pythonRequestToken('entraid');
    if (!token.ok) throw new Error(`request_token.py failed: ${token.message}`);
    const assertion = token.act_assertion ?? '';
    // entraid_adapter.py lines 283-299: {iss: APP_ID, sub: APP_ID, aud: API_AUDIENCE, exp: now + 300,
    // iat, jti, act}, RS256 with PyJWT's typ JWT — no ath, no client_id, no agbac_ver, no delegation.
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(Object.keys(decodeJwt(assertion)).sort()).toEqual([
      'act',
      'aud',
      'exp',
      'iat',
      'iss',
      'jti',
      'sub',
    ]);
    const answer = await pythonCallApi('out-of-session', `${api.url}/api/entraid/no-delegation`, {
      accessToken: token.access_token,
      actAssertion: assertion,
    });
    // The first of its gaps our verifier meets (verifier completeAssertion checks typ, agbac_ver,
    // then client_id and ath in that order; each alone refuses it). Binding (ath = hash of this
    // access token, client_id = this agent) is what matters: unbound, the assertion for alice
    // would ride along with any agent's token for its 5 minutes.
    expect(answer).toEqual({
      ok: true,
      status: 401,
      body: { error: 'token_invalid', reason: 'act assertion typ is not act-assertion+jwt' },
    });
  });

  // Auth0: its Auth0Adapter authenticates with client_secret_jwt (HS256, auth0_adapter.py lines
  // 283-302), which Auth0 does not offer (client secret basic/post and private_key_jwt only;
  // design/VENDORS.md, testkit idp/vendors/auth0.ts). Okta: its OktaAdapter's assertion `aud` is the
  // authorization server URL (okta_adapter.py line 317), where Okta wants the exact token URL it is
  // posted to (Okta's client-authentication guide; design/VENDORS.md). Both adapters wrap the IdP's
  // refusal as "Unexpected error", losing its status (the `except Exception` after their
  // `_handle_token_error` call); its own log events still name the IdP's answer.
  it.each([
    ['auth0', 'auth0_token_error', 'access_denied'],
    ['okta', 'okta_token_error', 'invalid_client'],
  ] as const)('%s: its adapter is refused by the IdP (%s %s, 401)', async (vendor, event, idpError) => {
    const before = idp.profile(vendor).tokenRequestCount();
    const token = await pythonRequestToken(vendor);
    expect(token).toMatchObject({
      ok: false,
      error_type: 'TokenRequestError',
      message: 'Token request failed: Unexpected error: TokenRequestError',
      status_code: null,
    });
    expect(token.ok === false ? token.events : []).toContainEqual({
      event,
      status_code: 401,
      error_type: idpError,
    });
    expect(idp.profile(vendor).tokenRequestCount()).toBe(before + 1);
  });
});
