// AGBAC's four-row table (agent authorized × human authorized), for every layout and every vendor's
// claim shape from VENDORS.md. Tokens are minted in each vendor's exact layout (fixtures.ts).
import { describe, expect, it } from 'vitest';
import { createStaticHumanAuthorizer } from '../src/create-static-human-authorizer.ts';
import { createVerifier } from '../src/create-verifier.ts';
import type { Layout } from '../src/internal/layout.ts';
import {
  agentIdOf,
  dualSubjectRequest,
  HUMAN,
  shapeVerifierOptions,
  testKey,
  vendorShapes,
} from './fixtures.ts';

const idpKey = testKey('RS256', 'idp-1');
const appKey = testKey('ES256', 'app-1');
const UNAUTHORIZED_HUMAN = 'b0b00000-0000-4000-8000-000000000b0b';
const humanAuthorizer = createStaticHumanAuthorizer({
  [HUMAN]: { roles: ['finance'], agents: '*' },
  [UNAUTHORIZED_HUMAN]: { roles: ['marketing'], agents: '*' },
});

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
      ...shapeVerifierOptions({ idpKey, appKey }, shape, layout),
      humanAuthorizer,
    });
    const requirements = { ...shape.agentRequirement, humanRoles: ['finance'] };

    it.each(rows)('agent authorized: $agent, human authorized: $human → $expected', async (row) => {
      const decision = await verifier.verify(
        dualSubjectRequest({ idpKey, appKey }, shape, layout, {
          agentAuthorized: row.agent,
          humanId: row.human ? HUMAN : UNAUTHORIZED_HUMAN,
        }),
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
