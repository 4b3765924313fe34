// Multi-agent chains in the RFC 8693 layout, with tokens signed in each vendor's delegated form:
// the verifier reads them all as { human, agent, chain }, the chain ordered [current actor, …,
// first actor] (RFC 8693 §4.1: "the outermost act claim represents the current actor"), and
// refuses chains that are too deep, cyclic, or that widen scope at a hop.
import type { AuditEvent } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/create-verifier.ts';
import type { Decision } from '../src/decision.ts';
import type { VerifierOptions } from '../src/verifier-options.ts';
import { mint, NOW, NOW_MS, testKey } from './fixtures.ts';

const idpKey = testKey('RS256', 'idp-1');
const times = { iat: NOW - 10, nbf: NOW - 10, exp: NOW + 290 };
const USER = 'f1d2c3b4-0000-4000-8000-00000000a11c';

interface VendorForm {
  readonly name: string;
  readonly vendor: VerifierOptions['vendor'];
  readonly issuer: string;
  readonly audience: string;
  readonly typ: string | undefined;
  readonly human: string;
  /** The exchanged token of `actors` (current first) acting for the human. */
  token(actors: readonly string[]): Record<string, unknown>;
}

/** Nested `act` entries, the current actor outermost; `entry` shapes each one. */
function nest(actors: readonly string[], entry: (actor: string) => Record<string, unknown>) {
  let act: Record<string, unknown> | undefined;
  for (let index = actors.length - 1; index >= 0; index--) {
    act = { ...entry(actors[index] as string), ...(act === undefined ? {} : { act }) };
  }
  return act;
}

// Keycloak 26.8 token-exchange delegation (preview, feature token-exchange-delegation): `sub` stays
// the user, `azp` is the actor that exchanged, `act` = { sub: the actor's service-account user id,
// client_id: the actor } (keycloak/keycloak tests TokenExchangeDelegationTest#fullDelegationFlow,
// assertActPresent(token, serviceAccountId, ACTOR_CLIENT_ID)); a further exchange nests the earlier
// `act` (keycloak/keycloak#50204: "performing the nesting correctly in the act claim").
const keycloak: VendorForm = {
  name: 'Keycloak 26.8 delegation',
  vendor: 'keycloak',
  issuer: 'https://127.0.0.1:8443/realms/acme',
  audience: 'finance-api',
  typ: 'JWT',
  human: USER,
  token: (actors) => ({
    ...times,
    iss: 'https://127.0.0.1:8443/realms/acme',
    aud: 'finance-api',
    typ: 'Bearer',
    sub: USER,
    azp: actors[0],
    scope: 'profile email',
    act: nest(actors, (actor) => ({ sub: `sa-uuid-of-${actor}`, client_id: actor })),
  }),
};

// Auth0 on-behalf-of token exchange: the user stays `sub`; `act.sub` is the client that exchanged,
// each earlier exchange one nested `act` deeper, at most five levels ("The delegation chain is
// limited to five nested levels", auth0.com/docs/api/authentication/on-behalf-of-token-exchange/
// get-token); with agent_subject_claims 'auth0-v1' the token says `sub_profile: 'user'`
// (auth0.com/docs/ai-agents-mcp/agents-as-principal/agent-identity-in-tokens).
const auth0: VendorForm = {
  name: 'Auth0 on-behalf-of',
  vendor: 'auth0',
  issuer: 'https://acme.eu.auth0.com/',
  audience: 'https://api.acme.example/finance',
  typ: 'at+jwt',
  human: 'auth0|6561b2c3d4e5f60718293a4b',
  token: (actors) => ({
    ...times,
    iss: 'https://acme.eu.auth0.com/',
    aud: 'https://api.acme.example/finance',
    sub: 'auth0|6561b2c3d4e5f60718293a4b',
    sub_profile: 'user',
    azp: actors[0],
    scope: 'read:reports',
    act: nest(actors, (actor) => ({ sub: actor })),
  }),
};

const forms = [keycloak, auth0];

function build(form: VendorForm, events: AuditEvent[], overrides: Partial<VerifierOptions> = {}) {
  return createVerifier({
    issuer: form.issuer,
    audience: form.audience,
    keys: [idpKey.publicJwk],
    vendor: form.vendor,
    layout: 'rfc8693',
    humanAuthorizedByIdp: true,
    clock: () => NOW_MS,
    audit: (event) => void events.push(event),
    ...overrides,
  });
}

function send(verifier: ReturnType<typeof build>, form: VendorForm, claims: Record<string, unknown>) {
  return verifier.verify({ authorization: `Bearer ${mint(idpKey, claims, { typ: form.typ })}` });
}

function denial(decision: Decision) {
  if (decision.allow) throw new Error('expected a denial');
  return { code: decision.code, reason: decision.reason, status: decision.status };
}

const agents = ['agent-c', 'agent-b', 'agent-a', 'agent-z', 'agent-y'];

describe.each(forms)('$name: nested act', (form) => {
  it.each([1, 2, 3])(
    'allows a chain of %i actors, chain = [current, …, first], and audits it',
    async (depth) => {
      const events: AuditEvent[] = [];
      const actors = agents.slice(0, depth);
      const decision = await send(build(form, events), form, form.token(actors));
      expect(decision.allow).toBe(true);
      if (!decision.allow) return;
      expect(decision.human.id).toBe(form.human);
      expect(decision.agent.id).toBe('agent-c');
      expect(decision.chain).toEqual(actors);
      expect(events).toHaveLength(1);
      expect(events[0]?.decision).toBe('allow');
      expect(events[0]?.delegationContext?.chain).toEqual(actors);
    },
  );

  it('refuses 4 actors by default (delegation_invalid, 403), audited with the chain', async () => {
    const events: AuditEvent[] = [];
    const actors = agents.slice(0, 4);
    const decision = await send(build(form, events), form, form.token(actors));
    expect(denial(decision)).toEqual({
      code: 'delegation_invalid',
      reason: 'delegation chain is 4 actors deep, more than the 3 allowed',
      status: 403,
    });
    expect(decision.subjects.delegation.ok).toBe(false);
    expect(events[0]).toMatchObject({
      decision: 'deny',
      denial: 'delegation_invalid',
      agentId: 'agent-c',
      humanId: form.human,
      delegationContext: { chain: actors },
    });
  });

  it('allows 5 actors with limits.maxChainDepth 5 (Auth0 nests up to five)', async () => {
    const decision = await send(build(form, [], { limits: { maxChainDepth: 5 } }), form, form.token(agents));
    expect(decision.allow && decision.chain).toEqual(agents);
  });

  it.each([
    [
      'an actor twice (A → B → A)',
      ['agent-a', 'agent-b', 'agent-a'],
      'delegation chain repeats an actor (a cycle)',
    ],
    [
      'the same actor at two adjacent hops',
      ['agent-a', 'agent-a'],
      'delegation chain repeats an actor (a cycle)',
    ],
  ])('refuses a cycle: %s', async (_name, actors, reason) => {
    const events: AuditEvent[] = [];
    const decision = await send(build(form, events), form, form.token(actors));
    expect(denial(decision)).toEqual({ code: 'delegation_invalid', reason, status: 403 });
    expect(events[0]?.delegationContext?.chain).toEqual(actors);
  });

  it('refuses a chain naming the human as an earlier actor', async () => {
    const claims = form.token(['agent-b']);
    const withHuman = { ...claims, act: { ...(claims.act as object), act: { sub: form.human } } };
    expect(denial(await send(build(form, []), form, withHuman))).toEqual({
      code: 'delegation_invalid',
      reason: 'delegation chain names the human as an actor (a cycle)',
      status: 403,
    });
  });
});

describe('Auth0 sub_profile', () => {
  it('refuses a token whose subject is not a user (an agent as principal)', async () => {
    const claims = { ...auth0.token(['agent-b']), sub_profile: 'ai_agent' };
    expect(denial(await send(build(auth0, []), auth0, claims))).toMatchObject({
      code: 'token_invalid',
      reason: 'access token sub_profile is not a user (the subject is not a human)',
    });
  });
});

describe('vendors whose on-behalf-of token has no act: the chain is the agent alone', () => {
  // Okta on-behalf-of token exchange (developer.okta.com/docs/guides/set-up-token-exchange): the
  // exchanged token keeps the user (`uid`; `sub` is the user's login, often an email) and names the
  // service app that exchanged in `cid`. No `act`: earlier actors are not recorded.
  const okta: VendorForm = {
    name: 'Okta',
    vendor: 'okta',
    issuer: 'https://acme.okta.com/oauth2/default',
    audience: 'api://default',
    typ: undefined,
    human: '00u1a2b3c4D5E6F7G8H9',
    token: (actors) => ({
      ...times,
      ver: 1,
      jti: 'AT.obo-1',
      iss: 'https://acme.okta.com/oauth2/default',
      aud: 'api://default',
      cid: actors[0],
      uid: '00u1a2b3c4D5E6F7G8H9',
      sub: 'alice.canary@example.com',
      scp: ['finance.read'],
    }),
  };
  // Entra ID on-behalf-of (learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow):
  // `oid` is the user, `azp` the middle tier that redeemed the user's token, `scp` the delegated
  // scopes (only user tokens carry `scp`: access-token-claims-reference); no `act`.
  const entraid: VendorForm = {
    name: 'Entra ID',
    vendor: 'entraid',
    issuer: 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0',
    audience: '0f1e2d3c-4b5a-4697-8877-665544332211',
    typ: 'JWT',
    human: '4b5c6d7e-0000-4000-8000-0000000a11ce',
    token: (actors) => ({
      ...times,
      aud: '0f1e2d3c-4b5a-4697-8877-665544332211',
      iss: 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0',
      azp: actors[0],
      azpacr: '1',
      oid: '4b5c6d7e-0000-4000-8000-0000000a11ce',
      sub: 'pairwise-subject-for-this-api',
      scp: 'Finance.Read',
      tid: '11111111-2222-3333-4444-555555555555',
      ver: '2.0',
    }),
  };

  it.each([okta, entraid])(
    '$name: human from its user claim, agent from its client claim, chain [agent]',
    async (form) => {
      const events: AuditEvent[] = [];
      const verifier = build(form, events, { onBehalfOfAgents: ['middle-tier-agent'] });
      const decision = await send(verifier, form, form.token(['middle-tier-agent']));
      expect(decision.allow).toBe(true);
      if (!decision.allow) return;
      expect(decision.human.id).toBe(form.human);
      expect(decision.agent.id).toBe('middle-tier-agent');
      expect(decision.chain).toEqual(['middle-tier-agent']);
      expect(events[0]?.humanId).toBe(form.human);
      expect(JSON.stringify(events)).not.toContain('example.com');
    },
  );

  it.each([
    ['Okta client-credentials token (no uid)', okta, { uid: undefined, sub: 'middle-tier-agent' }],
    ['Entra app-only token (roles, no scp)', entraid, { scp: undefined, roles: ['Finance.Read'] }],
    ['Entra token marked idtyp app', entraid, { idtyp: 'app' }],
  ])('refuses an %s: no human', async (_name, form, change) => {
    const claims = { ...form.token(['middle-tier-agent']), ...change };
    const verifier = build(form, [], { onBehalfOfAgents: ['middle-tier-agent'] });
    expect(denial(await send(verifier, form, claims)).code).toBe('token_invalid');
  });
});

describe('scope at each hop: an IdP that records it in each act entry', () => {
  // RFC 8693 §4.1 lets an `act` carry other claims; where an IdP records the scopes each actor
  // held (`scope` or `scp`), no later hop and not the token may hold one an earlier actor lacked.
  const token = (scope: string, actScopes: readonly (string | undefined)[]) => {
    const actors = actScopes.map((_, index) => `agent-${index + 1}`);
    const act = nest(actors, (actor) => {
      const scopes = actScopes[actors.indexOf(actor)];
      return scopes === undefined ? { client_id: actor } : { client_id: actor, scope: scopes };
    });
    return { ...keycloak.token(actors), scope, act };
  };

  it.each([
    ['narrowing at every hop', 'read', ['read', 'read write', 'read write pay']],
    ['equal scopes', 'read write', ['read write', 'read write']],
    ['a hop recording none is passed over', 'read', ['read', undefined, 'read write']],
  ])('allows %s', async (_name, scope, actScopes) => {
    expect((await send(build(keycloak, []), keycloak, token(scope, actScopes))).allow).toBe(true);
  });

  it.each([
    ['the current actor holds more than the first', 'read', ['read pay', 'read'], 'at actor 1 of 2'],
    ['a middle actor widens', 'read', ['read', 'read pay', 'read'], 'at actor 2 of 3'],
    ['widening across a hop recording none', 'read', ['read pay', undefined, 'read'], 'at actor 1 of 3'],
    ['the token grants more than its actors held', 'read pay', ['read', 'read'], 'the token grants a scope'],
  ])('refuses %s', async (_name, scope, actScopes, where) => {
    const events: AuditEvent[] = [];
    const decision = await send(build(keycloak, events), keycloak, token(scope, actScopes));
    const refused = denial(decision);
    expect(refused.code).toBe('delegation_invalid');
    expect(refused.reason).toContain('delegation chain widens scope');
    expect(refused.reason).toContain(where);
    expect(events[0]?.denial).toBe('delegation_invalid');
  });

  it('refuses an act scope that is neither a string nor a list of strings', async () => {
    const claims = { ...keycloak.token(['agent-1']), act: { client_id: 'agent-1', scope: { read: true } } };
    expect(denial(await send(build(keycloak, []), keycloak, claims))).toMatchObject({
      code: 'token_invalid',
      reason: 'act claim scope is neither a string nor a list of strings',
    });
  });
});
