// Issue 6: both flows of the seed, end to end over HTTPS on loopback, for every vendor profile of the
// embedded IdP and every mode it supports:
//   in session:     application (UserSession → act) → InSessionTokenRequest → IdP → API (verifier)
//   out of session: application (signed act JWT) → agent HTTPS server (OutOfSessionTokenRequest,
//                   replay store) → IdP → API (verifier), the API's answer relayed back.
// Hybrid mode (Okta, Entra ID, and Keycloak/Auth0 as an option) carries an act assertion signed by
// the application's key, checked by the API against the application's JWKS. A canary scan over every
// log line, audit event, error and relayed answer closes the file.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import {
  createMemoryReplayStore,
  InSessionAPICall,
  InSessionTokenRequest,
  OutOfSessionAPICall,
  OutOfSessionTokenRequest,
} from '@dual-auth/client';
import { type DelegationMode, type IdpAdapter, isDualAuthError, Secret, type Vendor } from '@dual-auth/core';
import { HybridSender, UserSession } from '@dual-auth/sender';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import type { Layout, Verifier } from '@dual-auth/verifier';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ID,
  agentNamed,
  apiVerifier,
  capturingLogger,
  configFor,
  type HttpsServer,
  humanNamed,
  leakedCanaries,
  readBody,
  routeRequirements,
  sendJson,
  startHttpsServer,
  vendorCases,
  vendors,
  views,
} from './harness.ts';

const combos = vendors.flatMap((vendor) =>
  vendorCases[vendor].modes.map((mode) => ({ vendor, mode, name: `${vendor} ${mode}` })),
);

const appKeyPem = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();
const { logger, lines } = capturingLogger();
const audits: string[] = [];
const seen = { tokens: new Set<string>(), assertions: new Set<string>(), actJwts: new Set<string>() };
const outputs: unknown[] = [];

const idp = useEmbeddedIdp();
let sender: HybridSender;
let app: HttpsServer;
let api: HttpsServer;
let agent: HttpsServer;
const verifiers = new Map<string, Verifier>();
const adapters = new Map<string, IdpAdapter>();

function adapterFor(vendor: Vendor, mode: DelegationMode): IdpAdapter {
  const key = `${vendor}/${mode}`;
  let adapter = adapters.get(key);
  if (adapter === undefined) {
    const profile = idp.profile(vendor);
    adapter = vendorCases[vendor].createAdapter(configFor(profile, agentNamed(profile, 'finance-agent')), {
      mode,
      logger,
      ...(mode === 'hybrid'
        ? { signActAssertion: sender.createActAssertionSigner({ audience: profile.audience }) }
        : {}),
    });
    adapters.set(key, adapter);
  }
  return adapter;
}

const apiPath = (vendor: Vendor, layout: Layout) => `/api/${vendor}/${layout}/reports`;
const agentPath = (vendor: Vendor, mode: DelegationMode) => `/agents/${vendor}/${mode}/invoke`;

beforeAll(async () => {
  sender = await HybridSender.create({ privateKey: appKeyPem, appId: APP_ID, logger });

  // The application publishes its public keys; the agent checks act JWTs and the API checks act
  // assertions against them.
  app = await startHttpsServer(async (request, response) => {
    if (request.url !== '/.well-known/jwks.json') return sendJson(response, 404, { error: 'not_found' });
    sendJson(response, 200, await sender.publicJwks());
  });

  // The protected API: one route per vendor and layout, each with its own verifier.
  api = await startHttpsServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'https://127.0.0.1').pathname;
    const [, , vendor, layout] = path.split('/') as [string, string, Vendor, Layout];
    const authorization = request.headers.authorization;
    const actAssertion = request.headers['x-act-assertion'];
    if (authorization?.startsWith('Bearer ')) seen.tokens.add(authorization.slice(7));
    if (typeof actAssertion === 'string') seen.assertions.add(actAssertion);
    const verifierKey = `${vendor}/${layout}`;
    let verifier = verifiers.get(verifierKey);
    if (verifier === undefined) {
      verifier = apiVerifier({
        profile: idp.profile(vendor),
        layout,
        appJwksUrl: `${app.url}/.well-known/jwks.json`,
        logger,
        audit: (event) => void audits.push(JSON.stringify(event)),
      });
      verifiers.set(verifierKey, verifier);
    }
    const decision = await verifier.verify(
      {
        authorization,
        actAssertion: typeof actAssertion === 'string' ? actAssertion : undefined,
        method: request.method,
        path,
      },
      routeRequirements(vendor),
    );
    if (!decision.allow) return sendJson(response, decision.status, { error: decision.code });
    sendJson(response, 200, {
      agent: decision.agent.id,
      human: decision.human.id,
      delegation: decision.delegation?.method,
    });
  });

  // The out-of-session agent: one endpoint per vendor and mode, sharing one replay store.
  const replayStore = createMemoryReplayStore();
  const tokenRequests = new Map<string, OutOfSessionTokenRequest>();
  const apiCall = new OutOfSessionAPICall({ logger, retries: 0, timeoutSeconds: 10 });
  agent = await startHttpsServer(async (request, response) => {
    const [, , vendor, mode] = (request.url ?? '').split('/') as [string, string, Vendor, DelegationMode];
    const key = `${vendor}/${mode}`;
    let tokenRequest = tokenRequests.get(key);
    if (tokenRequest === undefined) {
      tokenRequest = new OutOfSessionTokenRequest({
        adapter: adapterFor(vendor, mode),
        jwksUri: `${app.url}/.well-known/jwks.json`,
        issuer: APP_ID,
        audience: `${agent.url}${agentPath(vendor, mode)}`,
        replayStore,
        logger,
      });
      tokenRequests.set(key, tokenRequest);
    }
    try {
      const { act_jwt: actJwt } = JSON.parse(await readBody(request)) as { act_jwt: string };
      const profile = idp.profile(vendor);
      const tokenResponse = await tokenRequest.requestTokenFromJwt(actJwt, {
        agentId: 'finance-agent',
        scope: profile.scope,
      });
      const answer = await apiCall.callApi({
        method: 'GET',
        url: `${api.url}${apiPath(vendor, mode)}`,
        tokenResponse,
        params: { quarter: 'Q4' },
      });
      sendJson(response, answer.status, await answer.json());
    } catch (error) {
      outputs.push(error);
      if (!isDualAuthError(error)) throw error;
      const reason = (error as { reason?: unknown }).reason;
      sendJson(response, error.code === 'ERR_TOKEN_REQUEST' ? 502 : 401, { error: error.code, reason });
    }
  });
});

afterAll(async () => {
  await Promise.all([app?.close(), api?.close(), agent?.close()]);
});

async function invokeAgent(vendor: Vendor, mode: DelegationMode, actJwt: string) {
  const response = await fetch(`${agent.url}${agentPath(vendor, mode)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ act_jwt: actJwt }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  outputs.push(body);
  return { status: response.status, body };
}

describe.each(combos)('$name', ({ vendor, mode }) => {
  it('in session: the session human reaches the API with the agent, and the token is cached', async () => {
    const profile = idp.profile(vendor);
    const alice = humanNamed(profile, 'alice');
    const act = sender.extractActFromSession(
      new UserSession({ userId: alice.id, userEmail: alice.email, userName: alice.name }),
    );
    const tokenRequest = new InSessionTokenRequest({ adapter: adapterFor(vendor, mode), logger });
    const before = profile.tokenRequestCount();
    const tokenResponse = await tokenRequest.requestToken({
      agentId: 'finance-agent',
      act,
      scope: profile.scope,
    });
    await tokenRequest.requestToken({ agentId: 'finance-agent', act, scope: profile.scope });
    expect(profile.tokenRequestCount() - before).toBe(1);
    outputs.push(tokenResponse, tokenRequest);

    expect(tokenResponse.hasActAssertion).toBe(mode === 'hybrid');
    const claims = decodeJwt(tokenResponse.accessToken);
    expect(claims.iss).toBe(profile.issuer);
    if (mode === 'hybrid') {
      const assertion = decodeJwt(tokenResponse.actAssertion ?? '');
      expect(assertion).toMatchObject({ iss: APP_ID, client_id: 'finance-agent' });
      expect(assertion.act).toMatchObject({ sub: alice.id });
      expect(claims[vendorCases[vendor].humanClaim], 'a hybrid token carries no human').toBeUndefined();
    } else {
      expect(claims[vendorCases[vendor].humanClaim]).toMatchObject({ sub: alice.id });
    }

    const apiCall = new InSessionAPICall({ logger, retries: 0 });
    const answer = await apiCall.callApi({
      method: 'GET',
      url: `${api.url}${apiPath(vendor, mode)}`,
      tokenResponse,
    });
    const body = await answer.json();
    outputs.push(body);
    expect({ status: answer.status, body }).toEqual({
      status: 200,
      body: { agent: 'finance-agent', human: alice.id, delegation: 'explicit' },
    });
  });

  it('out of session: a signed act JWT to the agent server, then the API; a replay is refused', async () => {
    const profile = idp.profile(vendor);
    const alice = humanNamed(profile, 'alice');
    const act = sender.extractActFromSession({
      userId: alice.id,
      userEmail: alice.email,
      userName: alice.name,
    });
    const actJwt = await sender.prepareOutOfSessionAct(act, {
      agentEndpoint: `${agent.url}${agentPath(vendor, mode)}`,
      ttlSeconds: 60,
    });
    seen.actJwts.add(actJwt);

    const first = await invokeAgent(vendor, mode, actJwt);
    expect(first).toEqual({
      status: 200,
      body: { agent: 'finance-agent', human: alice.id, delegation: 'explicit' },
    });
    const replay = await invokeAgent(vendor, mode, actJwt);
    expect(replay).toEqual({ status: 401, body: { error: 'ERR_REPLAY', reason: 'replayed' } });
  });

  it('out of session: an act JWT for another agent endpoint is refused before any IdP request', async () => {
    const profile = idp.profile(vendor);
    const alice = humanNamed(profile, 'alice');
    const actJwt = await sender.prepareOutOfSessionAct(
      { sub: alice.id, email: alice.email, name: alice.name },
      { agentEndpoint: `${agent.url}/agents/elsewhere/invoke` },
    );
    seen.actJwts.add(actJwt);
    const before = profile.tokenRequestCount();
    const answer = await invokeAgent(vendor, mode, actJwt);
    expect(answer).toEqual({
      status: 401,
      body: { error: 'ERR_ACT_VERIFICATION', reason: 'audience_invalid' },
    });
    expect(profile.tokenRequestCount()).toBe(before);
  });
});

describe('failure paths feed the canary scan too', () => {
  it('a wrong client secret, a tampered token and a human the IdP’s mapper refuses', async () => {
    const profile = idp.profile('keycloak');
    const bob = humanNamed(profile, 'bob');
    const finance = agentNamed(profile, 'finance-agent');
    const wrong = vendorCases.keycloak.createAdapter(
      { ...configFor(profile, finance), clientSecret: new Secret(`${finance.clientSecret}-wrong`) },
      { logger },
    );
    const failure = await wrong
      .requestToken({ agentId: 'finance-agent', act: { sub: bob.id, email: bob.email, name: bob.name } })
      .catch((error: unknown) => error);
    // A client_secret_jwt assertion signed with the wrong secret: Keycloak's 400 unauthorized_client.
    expect(failure).toMatchObject({
      code: 'ERR_TOKEN_REQUEST',
      status: 400,
      oauthError: 'unauthorized_client',
    });
    outputs.push(failure);

    // Keycloak's mapper cannot fail the request: bob's token carries no act, and the API denies it.
    const refused = await adapterFor('keycloak', 'agbac').requestToken({
      agentId: 'finance-agent',
      act: { sub: bob.id, email: bob.email, name: bob.name },
    });
    seen.tokens.add(refused.accessToken);
    const denied = await fetch(`${api.url}${apiPath('keycloak', 'agbac')}`, {
      headers: { authorization: `Bearer ${refused.accessToken}` },
    });
    const deniedAnswer = { status: denied.status, body: await denied.json() };
    expect(deniedAnswer).toEqual({ status: 401, body: { error: 'token_invalid' } });
    outputs.push(deniedAnswer);

    const alice = humanNamed(profile, 'alice');
    const tokenResponse = await adapterFor('keycloak', 'agbac').requestToken({
      agentId: 'finance-agent',
      act: { sub: alice.id, email: alice.email, name: alice.name },
    });
    seen.tokens.add(tokenResponse.accessToken);
    const [header, payload, signature] = tokenResponse.accessToken.split('.');
    const tampered = `${header}.${payload}.${signature?.slice(0, -4)}AAAA`;
    const answer = await fetch(`${api.url}${apiPath('keycloak', 'agbac')}`, {
      headers: { authorization: `Bearer ${tampered}` },
    });
    expect({ status: answer.status, body: await answer.json() }).toEqual({
      status: 401,
      body: { error: 'token_invalid' },
    });
  });
});

describe('canaries', () => {
  it('no secret, key, token, act JWT, assertion, email or name in any log line, audit event, error or answer', () => {
    expect(seen.tokens.size).toBeGreaterThanOrEqual(combos.length);
    expect(seen.assertions.size).toBeGreaterThanOrEqual(combos.filter((c) => c.mode === 'hybrid').length);
    expect(lines.length).toBeGreaterThan(20);
    expect(audits.length).toBeGreaterThan(combos.length);
    const profiles = vendors.map((vendor) => idp.profile(vendor));
    const canaries = [
      ...new Set([
        ...profiles.flatMap((profile) => profile.agents.map((a) => a.clientSecret)),
        ...profiles.flatMap((profile) => profile.humans.flatMap((h) => [h.email, h.name])),
        ...seen.tokens,
        ...seen.assertions,
        ...seen.actJwts,
        appKeyPem.split('\n')[1] ?? appKeyPem,
        String(createPrivateKey(appKeyPem).export({ format: 'jwk' }).d),
        'PRIVATE KEY',
      ]),
    ];
    const texts = [...lines, ...audits, ...outputs.flatMap(views), ...views(sender)];
    expect(leakedCanaries(texts, canaries)).toEqual([]);
  });
});
