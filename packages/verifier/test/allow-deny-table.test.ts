// AGBAC's four-row table (agent authorized × human authorized), for every layout and every vendor's
// claim shape from VENDORS.md. Tokens are minted here in each vendor's exact layout; the embedded IdP
// will replace the minting once it lands.
import { AGBAC_VERSION } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createStaticHumanAuthorizer } from '../src/create-static-human-authorizer.ts';
import { createVerifier } from '../src/create-verifier.ts';
import type { Layout } from '../src/internal/layout.ts';
import {
  APP_ID,
  actAssertion,
  agentIdOf,
  delegation,
  HUMAN,
  HUMAN_EMAIL,
  HUMAN_NAME,
  mint,
  NOW_MS,
  testKey,
  type VendorShape,
  vendorShapes,
} from './fixtures.ts';

const idpKey = testKey('RS256', 'idp-1');
const appKey = testKey('ES256', 'app-1');
const UNAUTHORIZED_HUMAN = 'b0b00000-0000-4000-8000-000000000b0b';
const humanAuthorizer = createStaticHumanAuthorizer({
  [HUMAN]: { roles: ['finance'], agents: '*' },
  [UNAUTHORIZED_HUMAN]: { roles: ['marketing'], agents: '*' },
});

function request(shape: VendorShape, layout: Layout, agentAuthorized: boolean, humanId: string) {
  const agentClaims = shape.agentClaims(agentAuthorized);
  const agentId = agentIdOf(shape);
  const humanAct = { sub: humanId, email: HUMAN_EMAIL, name: HUMAN_NAME };
  if (layout === 'agbac') {
    // Where the human claim is namespaced (Auth0), the Action namespaces its companions the same way.
    const namespace = shape.humanClaim.slice(0, -'act'.length);
    const claims = {
      ...agentClaims,
      [shape.humanClaim]: humanAct,
      [`${namespace}delegation`]: delegation,
      [`${namespace}agbac_ver`]: AGBAC_VERSION,
    };
    return { authorization: `Bearer ${mint(idpKey, claims, { typ: shape.typ })}` };
  }
  if (layout === 'rfc8693') {
    // RFC 8693 §4.1: the human is the subject, the acting client is in `act` (Auth0 names it
    // `{client_id}@clients`).
    const actor = shape.vendor === 'auth0' ? `${agentId}@clients` : agentId;
    const claims = { ...agentClaims, sub: humanId, act: { sub: actor } };
    return { authorization: `Bearer ${mint(idpKey, claims, { typ: shape.typ })}` };
  }
  const token = mint(idpKey, agentClaims, { typ: shape.typ });
  const assertion = actAssertion(appKey, token, {
    clientId: agentId,
    audience: shape.audience,
    claims: { sub: humanId, act: humanAct },
  });
  return { authorization: `Bearer ${token}`, actAssertion: assertion };
}

const layouts: Layout[] = ['agbac', 'hybrid', 'rfc8693'];
const rows = [
  { agent: true, human: true, expected: 'allow' },
  { agent: false, human: true, expected: 'agent_denied' },
  { agent: true, human: false, expected: 'human_denied' },
  { agent: false, human: false, expected: 'agent_denied' },
] as const;

describe.each(vendorShapes)('$vendor claim shape', (shape) => {
  describe.each(layouts)('%s layout', (layout) => {
    const verifier = createVerifier({
      issuer: shape.issuer,
      audience: shape.audience,
      keys: [idpKey.publicJwk],
      vendor: shape.vendor,
      layout,
      humanClaim: shape.humanClaim,
      humanAuthorizer,
      clock: () => NOW_MS,
      ...(layout === 'hybrid' ? { actAssertionKeys: [appKey.publicJwk], actAssertionIssuer: APP_ID } : {}),
    });
    const requirements = { ...shape.agentRequirement, humanRoles: ['finance'] };

    it.each(rows)('agent authorized: $agent, human authorized: $human → $expected', async (row) => {
      const decision = await verifier.verify(
        request(shape, layout, row.agent, row.human ? HUMAN : UNAUTHORIZED_HUMAN),
        requirements,
      );
      expect(decision.allow ? 'allow' : decision.code).toBe(row.expected);
      expect(decision.subjects.agent.ok).toBe(row.agent);
      expect(decision.subjects.human.ok).toBe(row.human);
      if (decision.allow) {
        expect(decision.agent.id).toBe(agentIdOf(shape));
        expect(decision.human.id).toBe(HUMAN);
      } else {
        expect(decision.status).toBe(403);
        expect(decision.agent?.id).toBe(agentIdOf(shape));
      }
    });
  });
});
