// Issue 13: out-of-session act JWTs between the real Python reference (dual-auth 1.0.1 from PyPI,
// in the project's venv) and this project, in both directions, against the embedded IdP.
//
// The seed's format, from its source (dual_auth/session/hybrid_sender.py, version 1.0.1):
//   lines 291-299  the agent endpoint must start with https://
//   lines 311-323  payload {iss: "application", sub: "application", aud: agent_endpoint,
//                  exp: now + ttl_seconds, iat: now, jti: secrets.token_urlsafe(32), act}
//                  — iss and sub are literals: HybridSender never reads APP_ID
//   line 327       jwt.encode(payload, key, algorithm='RS256'): PyJWT's header
//                  {"typ": "JWT", "alg": "RS256"} (jwt/api_jws.py, header_typ = "JWT")
//   lines 193-206  act = {sub: user_id or email, email, name if given}
// Its agent (dual_auth/session/outofsession_token_request.py lines 124-159) checks RS256, exp and
// aud with PyJWT, refuses a jti it has seen, and needs act.sub; it does not look at iss, sub or typ.
import { OutOfSessionTokenRequest, type OutOfSessionTokenRequestOptions } from '@dual-auth/client';
import type { ActVerificationError, IdpAdapter, Vendor } from '@dual-auth/core';
import { HybridSender } from '@dual-auth/sender';
import type { HumanFixture } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import type { Verifier } from '@dual-auth/verifier';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  agentNamed,
  apiVerifier,
  configFor,
  humanNamed,
  routeRequirements,
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

/** The issuer every seed application signs with (hybrid_sender.py line 316). */
const SEED_ISSUER = 'application';
const AGENT_ENDPOINT = 'https://127.0.0.1:8443/agents/finance/invoke';

// Each Python run starts an interpreter (0.3-1 s on a shared machine); some tests make several.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const idp = useEmbeddedIdp();
let keys: SeedApplicationKeys;
let otherKeys: SeedApplicationKeys;
let sender: HybridSender;
const verifiers = new Map<Vendor, Verifier>();

beforeAll(async () => {
  requirePythonReference();
  keys = createSeedApplicationKeys();
  otherKeys = createSeedApplicationKeys();
  // The same application key for our sender: the Entra/Okta hybrid adapters sign act assertions with it.
  sender = await HybridSender.create({
    privateKeyPath: keys.privateKeyPath,
    appId: 'https://app.dual-auth.test',
  });
});

afterAll(async () => {
  keys?.remove();
  otherKeys?.remove();
});

const nativeMode = (vendor: Vendor) => vendorCases[vendor].modes[0] ?? 'agbac';

function adapterFor(vendor: Vendor): IdpAdapter {
  const profile = idp.profile(vendor);
  const mode = nativeMode(vendor);
  return vendorCases[vendor].createAdapter(configFor(profile, agentNamed(profile, 'finance-agent')), {
    mode,
    ...(mode === 'hybrid'
      ? { signActAssertion: sender.createActAssertionSigner({ audience: profile.audience }) }
      : {}),
  });
}

async function verifierFor(vendor: Vendor): Promise<Verifier> {
  let verifier = verifiers.get(vendor);
  if (verifier === undefined) {
    verifier = apiVerifier({
      profile: idp.profile(vendor),
      layout: nativeMode(vendor),
      appKeys: await sender.publicJwks(),
    });
    verifiers.set(vendor, verifier);
  }
  return verifier;
}

/** Our agent, configured for seed applications as packages/client/README.md says. */
function ourAgent(vendor: Vendor, options: Partial<OutOfSessionTokenRequestOptions> = {}) {
  return new OutOfSessionTokenRequest({
    adapter: adapterFor(vendor),
    keyPath: keys.publicKeyPath,
    issuer: SEED_ISSUER,
    audience: AGENT_ENDPOINT,
    acceptPythonReferenceActJwt: true,
    ...options,
  });
}

/** An act JWT signed by the real HybridSender.prepare_out_of_session_act. */
async function seedActJwt(
  human: HumanFixture,
  options: { endpoint?: string; ttlSeconds?: number; keys?: SeedApplicationKeys } = {},
): Promise<string> {
  const answer = await runPythonDriver<{ ok: true; act_jwt: string } | PythonFailure>('sign_act_jwt', {
    private_key_path: (options.keys ?? keys).privateKeyPath,
    agent_endpoint: options.endpoint ?? AGENT_ENDPOINT,
    ttl_seconds: options.ttlSeconds ?? 60,
    session: { user_email: human.email, user_name: human.name, user_id: human.id },
  });
  if (!answer.ok) throw new Error(`sign_act_jwt.py failed: ${answer.error_type}: ${answer.message}`);
  return answer.act_jwt;
}

async function refusal(
  promise: Promise<unknown>,
): Promise<{ code?: string; reason?: string; message?: string }> {
  return promise.then(
    () => ({ reason: 'accepted' }),
    (error: ActVerificationError) => ({ code: error.code, reason: error.reason, message: error.message }),
  );
}

describe('the Python reference act JWT (HybridSender.prepare_out_of_session_act)', () => {
  it('has the layout its source shows: typ JWT, iss and sub "application", aud the endpoint string', async () => {
    const alice = humanNamed(idp.profile('keycloak'), 'alice');
    const actJwt = await seedActJwt(alice, { ttlSeconds: 45 });
    expect(decodeProtectedHeader(actJwt)).toEqual({ alg: 'RS256', typ: 'JWT' });
    const claims = decodeJwt(actJwt);
    expect(Object.keys(claims).sort()).toEqual(['act', 'aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
    expect(claims).toMatchObject({ iss: 'application', sub: 'application', aud: AGENT_ENDPOINT });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(45);
    expect(claims.jti).toMatch(/^[A-Za-z0-9_-]{43}$/); // secrets.token_urlsafe(32): 32 bytes, base64url
    expect(claims.act).toEqual({ sub: alice.id, email: alice.email, name: alice.name });
  });

  it('is refused by an agent not configured for seed applications, as the issue reports', async () => {
    const alice = humanNamed(idp.profile('keycloak'), 'alice');
    const strict = ourAgent('keycloak', { acceptPythonReferenceActJwt: false });
    expect(await refusal(strict.receiveAndVerifyActJwt(await seedActJwt(alice)))).toMatchObject({
      reason: 'type_invalid',
    });
    // What 1.x agents did with acceptUntypedActJwt: the seed's sub is not the human.
    const untyped = ourAgent('keycloak', { acceptPythonReferenceActJwt: false, acceptUntypedActJwt: true });
    expect(await refusal(untyped.receiveAndVerifyActJwt(await seedActJwt(alice)))).toEqual({
      code: 'ERR_ACT_VERIFICATION',
      reason: 'act_invalid',
      message: 'act JWT refused: sub differs from act.sub',
    });
    // The seed's iss is always "application": an agent expecting APP_ID refuses it.
    const byAppId = ourAgent('keycloak', { issuer: 'https://app.dual-auth.test' });
    expect(await refusal(byAppId.receiveAndVerifyActJwt(await seedActJwt(alice)))).toMatchObject({
      reason: 'issuer_invalid',
    });
  });

  it('keeps every other check: audience, lifetime, expiry, signature and single use', async () => {
    const alice = humanNamed(idp.profile('keycloak'), 'alice');
    const agent = ourAgent('keycloak');
    const cases: Array<[string, Promise<string>, string]> = [
      ['another endpoint', seedActJwt(alice, { endpoint: `${AGENT_ENDPOINT}/other` }), 'audience_invalid'],
      // The seed only warns outside 10-300 s (hybrid_sender.py lines 301-309).
      ['a 600 s lifetime', seedActJwt(alice, { ttlSeconds: 600 }), 'lifetime_too_long'],
      ['an exp 120 s ago', seedActJwt(alice, { ttlSeconds: -120 }), 'expired'],
      ['another application key', seedActJwt(alice, { keys: otherKeys }), 'signature_invalid'],
    ];
    for (const [label, actJwt, reason] of cases) {
      expect(await refusal(agent.receiveAndVerifyActJwt(await actJwt)), label).toMatchObject({ reason });
    }
    const actJwt = await seedActJwt(alice);
    await agent.receiveAndVerifyActJwt(actJwt);
    expect(await refusal(agent.receiveAndVerifyActJwt(actJwt))).toMatchObject({
      code: 'ERR_REPLAY',
      reason: 'replayed',
    });
  });
});

describe.each(vendors)('%s: its act JWT, our agent, the IdP, our verifier', (vendor) => {
  it('the human it signed reaches the API with the agent; a replay is refused before the IdP', async () => {
    const profile = idp.profile(vendor);
    const alice = humanNamed(profile, 'alice');
    const agent = ourAgent(vendor);
    const actJwt = await seedActJwt(alice);
    const tokenResponse = await agent.requestTokenFromJwt(actJwt, {
      agentId: 'finance-agent',
      scope: profile.scope,
    });
    expect(tokenResponse.hasActAssertion).toBe(nativeMode(vendor) === 'hybrid');
    const decision = await (await verifierFor(vendor)).verify(
      {
        authorization: `Bearer ${tokenResponse.accessToken}`,
        actAssertion: tokenResponse.actAssertion,
        method: 'GET',
        path: '/reports',
      },
      routeRequirements(vendor),
    );
    expect(decision).toMatchObject({ allow: true, agent: { id: 'finance-agent' }, human: { id: alice.id } });

    const before = profile.tokenRequestCount();
    expect(
      await refusal(agent.requestTokenFromJwt(actJwt, { agentId: 'finance-agent', scope: profile.scope })),
    ).toMatchObject({ code: 'ERR_REPLAY', reason: 'replayed' });
    expect(profile.tokenRequestCount()).toBe(before);
  });
});

interface ReceivedActJwt {
  readonly results: ReadonlyArray<
    | { ok: true; act: Record<string, string>; token: PythonTokenResponse | PythonFailure | null }
    | PythonFailure
  >;
}

describe('our act JWT, its agent (OutOfSessionTokenRequest.receive_and_verify_act_jwt)', () => {
  it('verifies ours and gets a Keycloak token with its adapter; refuses the replay and another endpoint', async () => {
    const profile = idp.profile('keycloak');
    const alice = humanNamed(profile, 'alice');
    const act = { sub: alice.id, email: alice.email, name: alice.name };
    const ours = await sender.prepareOutOfSessionAct(act, { agentEndpoint: AGENT_ENDPOINT });
    const elsewhere = await sender.prepareOutOfSessionAct(act, { agentEndpoint: `${AGENT_ENDPOINT}/other` });
    expect(decodeProtectedHeader(ours)).toMatchObject({ alg: 'RS256', typ: 'act+jwt' });

    const { results } = await runPythonDriver<ReceivedActJwt>(
      'receive_act_jwt',
      {
        public_key_path: keys.publicKeyPath,
        expected_audience: AGENT_ENDPOINT,
        act_jwts: [ours, ours, elsewhere],
        token_request: { agent_id: 'finance-agent', scope: profile.scope },
      },
      seedSettings(profile, agentNamed(profile, 'finance-agent'), keys),
    );
    const [first, replay, misdirected] = results;
    // Its agent hands on the act claim as our sender wrote it (outofsession_token_request.py line 149).
    expect(first).toMatchObject({
      ok: true,
      act: decodeJwt(ours).act,
      token: { ok: true, token_type: 'Bearer', act_assertion: null },
    });
    expect(replay).toMatchObject({ ok: false, error_type: 'ValueError', message: 'Act JWT replay detected' });
    expect(misdirected).toMatchObject({
      ok: false,
      error_type: 'ValueError',
      message: 'Act JWT invalid audience',
    });

    // Its KeycloakAdapter's token (client_secret_jwt carrying act, keycloak_adapter.py lines 283-298)
    // has the human but no delegation: the seed has none (its agent returns act only, line 173).
    // Our verifier requires one by default, and accepts the token where the API opts out.
    const token = first?.ok === true && first.token?.ok === true ? first.token.access_token : '';
    const request = { authorization: `Bearer ${token}`, method: 'GET', path: '/reports' };
    expect(
      await (await verifierFor('keycloak')).verify(request, routeRequirements('keycloak')),
    ).toMatchObject({
      allow: false,
      status: 403,
      code: 'delegation_invalid',
      reason: 'delegation claim missing',
    });
    const withoutDelegation = apiVerifier({ profile, layout: 'agbac', requireDelegation: false });
    expect(await withoutDelegation.verify(request, routeRequirements('keycloak'))).toMatchObject({
      allow: true,
      agent: { id: 'finance-agent' },
      human: { id: alice.id },
    });
  });
});
