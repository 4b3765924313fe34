// Keycloak 26.7's standard token exchange (V2) issues a token that names the human in `sub` and the
// agent only in `azp`, with no `act` (keycloak/keycloak StandardTokenExchangeProvider) — the same
// layout as the human's own login token for a web application. What tells them apart is the `jti`:
// Keycloak 26.2+ writes it as six letters (session type, token type, grant type: two each), `:`,
// then the id, and a token exchange's grant letters are `te` (DefaultTokenContextEncoderProvider.
// encodeTokenId, TokenExchangeGrantTypeFactory.getShortcut; `ac` authorization code, `ro` password,
// `rt` refresh token, `cc` client credentials). The rfc8693 layout reads only marked tokens as an
// agent acting for the human; the token's roles are the human's, so the agent gets none from it.
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/create-verifier.ts';
import type { Decision } from '../src/decision.ts';
import type { VerifierOptions, VerifyRequirements } from '../src/verifier-options.ts';
import { mint, NOW, NOW_MS, testKey } from './fixtures.ts';

const idpKey = testKey('RS256', 'kc-1');
const ISSUER = 'https://127.0.0.1:8443/realms/dual-auth';
const USER = '5b6c7d8e-0000-4000-8000-00000000a11c';
const AGENT = 'finance-agent';

/** An access token as Keycloak 26.7.3 lays out a human's token (exchanged or not), `jti` given. */
function keycloakToken(jti: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    exp: NOW + 290,
    iat: NOW - 10,
    ...(jti === undefined ? {} : { jti }),
    iss: ISSUER,
    aud: 'finance-api',
    sub: USER,
    typ: 'Bearer',
    azp: AGENT,
    sid: '0b1c2d3e-0000-4000-8000-0000000005e5',
    acr: '1',
    realm_access: { roles: ['finance'] },
    scope: 'profile email finance.read',
    email_verified: true,
    preferred_username: 'alice',
    ...extra,
  };
}

function verifier(overrides: Partial<VerifierOptions> = {}) {
  return createVerifier({
    issuer: ISSUER,
    audience: 'finance-api',
    keys: [idpKey.publicJwk],
    vendor: 'keycloak',
    layout: 'rfc8693',
    humanAuthorizedByIdp: true,
    clock: () => NOW_MS,
    ...overrides,
  });
}

function send(claims: Record<string, unknown>, requirements?: VerifyRequirements, options = {}) {
  return verifier(options).verify(
    { authorization: `Bearer ${mint(idpKey, claims, { typ: 'JWT' })}` },
    requirements,
  );
}

function denial(decision: Decision) {
  if (decision.allow) throw new Error('expected a denial');
  return { code: decision.code, reason: decision.reason };
}

const exchanged = 'onrtte:9f8e7d6c-0000-4000-8000-0000000000e1';

describe('Keycloak exchanged tokens in the rfc8693 layout', () => {
  it.each([
    ['an online session', 'onrtte:9f8e7d6c-0000-4000-8000-0000000000e1'],
    ['a transient client session', 'ntrtte:9f8e7d6c-0000-4000-8000-0000000000e2'],
    ['a lightweight token', 'onltte:9f8e7d6c-0000-4000-8000-0000000000e3'],
  ])(
    'allows a token-exchange token of %s: human from sub, agent from azp, chain [agent]',
    async (_n, jti) => {
      const decision = await send(keycloakToken(jti), { agentScopes: ['finance.read'] });
      expect(decision.allow).toBe(true);
      if (!decision.allow) return;
      expect(decision.human.id).toBe(USER);
      expect(decision.agent.id).toBe(AGENT);
      expect(decision.chain).toEqual([AGENT]);
    },
  );

  it('gives the agent no roles: the token’s realm roles are the human’s', async () => {
    const decision = await send(keycloakToken(exchanged), { agentRoles: ['finance'] });
    expect(denial(decision)).toEqual({ code: 'agent_denied', reason: 'the agent lacks role finance' });
    expect(decision.agent?.roles).toEqual([]);
  });

  it('reads the human’s roles from the token with humanRolesClaim, as the human’s', async () => {
    const claims = keycloakToken(exchanged, { human_roles: ['finance'] });
    const allowed = await send(
      claims,
      { humanRoles: ['finance'] },
      { humanAuthorizedByIdp: undefined, humanRolesClaim: 'human_roles' },
    );
    expect(allowed.allow).toBe(true);
  });

  it.each([
    ['the human’s login token (authorization code)', 'onrtac:9f8e7d6c-0000-4000-8000-0000000000a1'],
    ['the human’s direct-grant token (password)', 'onrtro:9f8e7d6c-0000-4000-8000-0000000000a2'],
    ['a refreshed token', 'onrtrt:9f8e7d6c-0000-4000-8000-0000000000a3'],
    ['a token without the grant mark (Keycloak before 26.2)', '9f8e7d6c-0000-4000-8000-0000000000a4'],
    ['te outside the grant letters', 'teonrt:9f8e7d6c-0000-4000-8000-0000000000a5'],
    ['te with no id after it', 'onrtte:'],
    ['a five-letter mark', 'onrte:9f8e7d6c-0000-4000-8000-0000000000a6'],
    ['no jti', undefined],
  ])('denies %s: no acting agent (token_invalid)', async (_name, jti) => {
    expect(denial(await send(keycloakToken(jti)))).toEqual({
      code: 'token_invalid',
      reason: 'access token has no act claim (no acting agent)',
    });
  });

  it('denies a jti that is not a string', async () => {
    expect(denial(await send(keycloakToken(undefined, { jti: 7 }))).code).toBe('token_invalid');
  });

  it('denies an exchanged token that names the agent as the human', async () => {
    expect(denial(await send(keycloakToken(exchanged, { sub: AGENT })))).toEqual({
      code: 'token_invalid',
      reason: 'access token names the agent as the human',
    });
  });

  it('denies an exchanged token whose human is an email address', async () => {
    expect(denial(await send(keycloakToken(exchanged, { sub: 'alice@example.com' })))).toEqual({
      code: 'token_invalid',
      reason: 'access token names the human by an email address, not an IAM user id',
    });
  });

  it('reads Keycloak 26.8’s act (delegation preview) as the chain, even on an exchanged token', async () => {
    const claims = keycloakToken(exchanged, { act: { sub: 'sa-uuid', client_id: AGENT } });
    const decision = await send(claims);
    expect(decision.allow && decision.chain).toEqual([AGENT]);
  });

  it('is not read in the agbac layout (the human must be in act there)', async () => {
    const decision = await send(keycloakToken(exchanged), undefined, { layout: 'agbac' });
    expect(denial(decision)).toEqual({
      code: 'token_invalid',
      reason: 'access token has no human (act claim missing)',
    });
  });
});

// Okta and Entra ID mark no exchanged token: an Okta user's access token for a web application
// carries `uid` and `cid` (the web app) as an exchanged one does (developer.okta.com/docs/guides/
// set-up-token-exchange; the Okta profile reads `cid` as the agent), and an Entra delegated token
// for a web application carries `oid`, `scp` and `azp` (the web app) as an on-behalf-of one does
// (learn.microsoft.com/entra/identity-platform/access-token-claims-reference). So their act-less
// form is read only with onBehalfOfAgents, which names the clients that are agents; given, it
// holds for Keycloak's act-less form too.
describe('onBehalfOfAgents: the clients an act-less on-behalf-of token may name as its agent', () => {
  const oktaIssuer = 'https://acme.okta.com/oauth2/default';
  const oktaToken = (cid: string) => ({
    ver: 1,
    jti: 'AT.web-login',
    iss: oktaIssuer,
    aud: 'api://default',
    iat: NOW - 10,
    exp: NOW + 290,
    cid,
    uid: '00u1a2b3c4D5E6F7G8H9',
    sub: 'alice.canary@example.com',
    scp: ['finance.read'],
  });
  const sendOkta = (options: Partial<VerifierOptions>, cid: string) =>
    verifier({ issuer: oktaIssuer, audience: 'api://default', vendor: 'okta', ...options }).verify({
      authorization: `Bearer ${mint(idpKey, oktaToken(cid))}`,
    });

  const entraIssuer = 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0';
  const entraToken = (azp: string) => ({
    aud: 'finance-api-app-id',
    iss: entraIssuer,
    iat: NOW - 10,
    exp: NOW + 290,
    azp,
    azpacr: '1',
    oid: '4b5c6d7e-0000-4000-8000-0000000a11ce',
    sub: 'pairwise-subject-for-this-api',
    scp: 'finance.read',
    tid: '11111111-2222-3333-4444-555555555555',
    ver: '2.0',
  });
  const sendEntra = (options: Partial<VerifierOptions>, azp: string) =>
    verifier({ issuer: entraIssuer, audience: 'finance-api-app-id', vendor: 'entraid', ...options }).verify(
      { authorization: `Bearer ${mint(idpKey, entraToken(azp), { typ: 'JWT' })}` },
      { agentScopes: ['finance.read'] },
    );

  it.each([
    ['Okta', 'cid', () => sendOkta({}, 'finance-agent')],
    ['Entra ID', 'azp', () => sendEntra({}, 'finance-agent')],
  ])(
    'without it, denies every %s token without act, naming the option (token_invalid)',
    async (vendor, claim, sendIt) => {
      const decision = await sendIt();
      expect(denial(decision)).toEqual({
        code: 'token_invalid',
        reason:
          `access token has no act claim, and ${vendor} does not mark an on-behalf-of token: ` +
          `set onBehalfOfAgents to the client ids (${claim}) of the agents that exchange users' tokens`,
      });
      expect(decision).toMatchObject({ allow: false, status: 401 });
      expect(JSON.stringify(decision)).not.toContain('alice.canary');
    },
  );

  it('with it, allows a listed Entra ID agent and denies a web application’s user token', async () => {
    const options = { onBehalfOfAgents: ['finance-agent'] };
    expect(await sendEntra(options, 'finance-agent')).toMatchObject({
      allow: true,
      agent: { id: 'finance-agent' },
      chain: ['finance-agent'],
    });
    expect(denial(await sendEntra(options, 'finance-web-app'))).toEqual({
      code: 'token_invalid',
      reason: 'access token has no act claim and its client is not one of onBehalfOfAgents',
    });
  });

  it('with it, allows a listed agent and denies any other client (token_invalid)', async () => {
    const options = { onBehalfOfAgents: ['finance-agent'] };
    expect((await sendOkta(options, 'finance-agent')).allow).toBe(true);
    expect(denial(await sendOkta(options, 'finance-web-app'))).toEqual({
      code: 'token_invalid',
      reason: 'access token has no act claim and its client is not one of onBehalfOfAgents',
    });
  });

  it('is not needed for Keycloak’s te-marked tokens (the IdP’s signed word)', async () => {
    expect((await send(keycloakToken(exchanged))).allow).toBe(true);
  });

  it('applies to Keycloak’s exchanged tokens too, and never to tokens with act', async () => {
    const listed = { onBehalfOfAgents: ['other-agent'] };
    expect(denial(await send(keycloakToken(exchanged), undefined, listed)).code).toBe('token_invalid');
    const withAct = keycloakToken(exchanged, { act: { sub: 'sa-uuid', client_id: AGENT } });
    expect((await send(withAct, undefined, listed)).allow).toBe(true);
  });

  it.each([
    [{ onBehalfOfAgents: [] }, /onBehalfOfAgents is required/],
    [{ onBehalfOfAgents: [''] }, /onBehalfOfAgents must be non-empty strings/],
    [{ onBehalfOfAgents: ['a'], layout: 'agbac' as const }, /rfc8693 layout only/],
  ])('refuses %o with a TypeError', (options, message) => {
    expect(() => verifier(options)).toThrow(TypeError);
    expect(() => verifier(options)).toThrow(message);
  });
});
