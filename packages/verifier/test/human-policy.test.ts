// AGBAC authorizes both subjects independently: a human who is merely present is never authorized.
// Every layout × every human policy (humanAuthorizer, humanRolesClaim + humanRoles,
// humanAuthorizedByIdp) × (no policy / policy allows / policy denies).
import type { AuditEvent } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createStaticHumanAuthorizer } from '../src/create-static-human-authorizer.ts';
import { createVerifier } from '../src/create-verifier.ts';
import type { Decision, SubjectVerdict } from '../src/decision.ts';
import type { Layout } from '../src/internal/layout.ts';
import type { VerifierOptions, VerifyRequirements } from '../src/verifier-options.ts';
import {
  agentIdOf,
  dualSubjectRequest,
  HUMAN,
  shapeVerifierOptions,
  testKey,
  type VendorShape,
  vendorShapes,
} from './fixtures.ts';

const idpKey = testKey('RS256', 'idp-1');
const appKey = testKey('ES256', 'app-1');
const STRANGER = '5a5a5a5a-0000-4000-8000-00000000face';

const NO_POLICY =
  'no human policy: set humanAuthorizer, or humanRolesClaim (and require humanRoles per route), or ' +
  'humanAuthorizedByIdp: true (layouts agbac and rfc8693 only, when the IdP authorized the human before ' +
  'issuing the token); a human who is present is never authorized by being present';
const HYBRID_IDP =
  'humanAuthorizedByIdp is not allowed with layout hybrid: the IdP never sees the human in the hybrid ' +
  'layout (the application attests it in the act assertion); check the human with humanAuthorizer or ' +
  'humanRolesClaim';
const UNCHECKED =
  'no human policy applies to this request (no humanAuthorizer, no required humanRoles, ' +
  'humanAuthorizedByIdp not set)';

const shape = (vendor: VendorShape['vendor']) =>
  vendorShapes.find((candidate) => candidate.vendor === vendor) as VendorShape;

interface LayoutCase {
  readonly name: string;
  readonly layout: Layout;
  readonly shape: VendorShape;
}

const layoutCases: readonly LayoutCase[] = [
  { name: 'agbac (act)', layout: 'agbac', shape: shape('keycloak') },
  { name: 'agbac, namespaced (Auth0 Action)', layout: 'agbac', shape: shape('auth0') },
  { name: 'hybrid', layout: 'hybrid', shape: shape('okta') },
  { name: 'rfc8693', layout: 'rfc8693', shape: shape('keycloak') },
];

function build(layoutCase: LayoutCase, policy: Partial<VerifierOptions>, events: AuditEvent[] = []) {
  return createVerifier({
    ...shapeVerifierOptions({ idpKey, appKey }, layoutCase.shape, layoutCase.layout),
    audit: (event) => void events.push(event),
    ...policy,
  });
}

interface Attempt {
  readonly humanId: string;
  readonly humanClaims?: Record<string, unknown>;
  readonly humanRoles?: readonly string[];
}

function send(layoutCase: LayoutCase, policy: Partial<VerifierOptions>, attempt: Attempt) {
  const requirements: VerifyRequirements = {
    ...layoutCase.shape.agentRequirement,
    ...(attempt.humanRoles === undefined ? {} : { humanRoles: attempt.humanRoles }),
  };
  const request = dualSubjectRequest({ idpKey, appKey }, layoutCase.shape, layoutCase.layout, {
    agentAuthorized: true,
    humanId: attempt.humanId,
    ...(attempt.humanClaims === undefined ? {} : { humanClaims: attempt.humanClaims }),
  });
  return build(layoutCase, policy).verify(request, requirements);
}

interface PolicyCase {
  readonly name: string;
  readonly options: Partial<VerifierOptions>;
  readonly allows: Attempt & { readonly verdict: SubjectVerdict };
  readonly denies: Attempt & { readonly verdict: SubjectVerdict };
}

const policyCases: readonly PolicyCase[] = [
  {
    name: 'humanAuthorizer',
    options: {
      humanAuthorizer: createStaticHumanAuthorizer({ [HUMAN]: { roles: ['finance'], agents: '*' } }),
    },
    allows: { humanId: HUMAN, verdict: { ok: true, reason: 'authorized', checkedBy: 'authorizer' } },
    denies: {
      humanId: STRANGER,
      verdict: { ok: false, reason: 'the human is unknown to the human authorizer', checkedBy: 'authorizer' },
    },
  },
  {
    name: 'humanRolesClaim + humanRoles',
    options: { humanRolesClaim: 'roles' },
    allows: {
      humanId: HUMAN,
      humanClaims: { roles: ['finance'] },
      humanRoles: ['finance'],
      verdict: { ok: true, reason: 'authorized', checkedBy: 'roles' },
    },
    denies: {
      humanId: HUMAN,
      humanClaims: { roles: ['marketing'] },
      humanRoles: ['finance'],
      verdict: { ok: false, reason: 'the human lacks role finance', checkedBy: 'roles' },
    },
  },
  {
    name: 'humanAuthorizedByIdp',
    options: { humanAuthorizedByIdp: true },
    allows: {
      humanId: HUMAN,
      verdict: { ok: true, reason: 'authorized by the IdP (humanAuthorizedByIdp)', checkedBy: 'idp' },
    },
    // The IdP's word covers the human's approval, not a route's role: a required role is still checked.
    denies: {
      humanId: HUMAN,
      humanRoles: ['finance'],
      verdict: { ok: false, reason: 'the human lacks role finance', checkedBy: 'roles' },
    },
  },
];

function expectHuman(decision: Decision, allow: boolean, verdict: SubjectVerdict) {
  expect(decision.allow ? 'allow' : decision.code).toBe(allow ? 'allow' : 'human_denied');
  expect(decision.subjects.human).toEqual(verdict);
  expect(decision.subjects.agent.ok).toBe(true);
}

describe.each(layoutCases)('$name layout', (layoutCase) => {
  it('refuses a verifier with no human policy at construction, naming the three options', () => {
    expect(() => build(layoutCase, {})).toThrow(new TypeError(NO_POLICY));
    expect(() => build(layoutCase, { humanAuthorizedByIdp: false })).toThrow(new TypeError(NO_POLICY));
  });

  it('denies human_unchecked (403) when the configured roles claim is not required by the route', async () => {
    const events: AuditEvent[] = [];
    const verifier = build(layoutCase, { humanRolesClaim: 'roles' }, events);
    const request = dualSubjectRequest({ idpKey, appKey }, layoutCase.shape, layoutCase.layout, {
      agentAuthorized: true,
      humanId: HUMAN,
      humanClaims: { roles: ['finance'] },
    });
    for (const requirements of [layoutCase.shape.agentRequirement, { humanRoles: [] }]) {
      const decision = await verifier.verify(request, requirements);
      if (decision.allow) throw new Error('a human no check applies to was allowed');
      expect(decision).toMatchObject({ code: 'human_unchecked', status: 403, reason: UNCHECKED });
      expect(decision.subjects.human).toEqual({ ok: false, reason: UNCHECKED });
      expect(decision.subjects.agent.ok).toBe(true);
      expect(decision.agent?.id).toBe(agentIdOf(layoutCase.shape));
      expect(decision.human?.id).toBe(HUMAN);
    }
    expect(events.map((event) => [event.decision, event.decision === 'deny' && event.denial])).toEqual([
      ['deny', 'human_unchecked'],
      ['deny', 'human_unchecked'],
    ]);
    expect(events[0]).toMatchObject({ humanId: HUMAN, reason: UNCHECKED });
  });

  it('denies human_unchecked even when a custom policy says the human is fine', async () => {
    const decision = await send(
      layoutCase,
      { humanRolesClaim: 'roles', policy: () => ({ human: { ok: true, reason: 'looks fine' } }) },
      { humanId: HUMAN },
    );
    expect(decision.allow ? 'allow' : decision.code).toBe('human_unchecked');
  });

  describe.each(policyCases)('$name', (policy) => {
    if (layoutCase.layout === 'hybrid' && policy.options.humanAuthorizedByIdp === true) {
      it('is refused at construction: the IdP never sees the human in the hybrid layout', () => {
        expect(() => build(layoutCase, policy.options)).toThrow(new TypeError(HYBRID_IDP));
        // Not even next to a real check: the opt-in has no meaning here.
        expect(() => build(layoutCase, { ...policy.options, humanRolesClaim: 'roles' })).toThrow(
          new TypeError(HYBRID_IDP),
        );
      });
      return;
    }

    it('allows when the policy allows, and says how the human was checked', async () => {
      expectHuman(await send(layoutCase, policy.options, policy.allows), true, policy.allows.verdict);
    });

    it('denies human_denied when the policy denies', async () => {
      const decision = await send(layoutCase, policy.options, policy.denies);
      expectHuman(decision, false, policy.denies.verdict);
      if (!decision.allow) expect(decision.status).toBe(403);
    });
  });
});

describe('human policy options', () => {
  const agbac = layoutCases[0] as LayoutCase;

  it.each([
    ['humanAuthorizedByIdp not a boolean', { humanAuthorizedByIdp: 'yes' }, /humanAuthorizedByIdp must be/],
    ['humanRolesClaim empty', { humanRolesClaim: '' }, /humanRolesClaim must be a claim name/],
  ])('refuses %s', (_name, options, message) => {
    expect(() => build(agbac, options as Partial<VerifierOptions>)).toThrow(message);
  });

  it('checks required roles on top of the authorizer, and reports roles as the deciding check', async () => {
    const options = {
      humanAuthorizer: createStaticHumanAuthorizer({ [HUMAN]: { roles: ['finance'], agents: '*' } }),
    };
    const allowed = await send(agbac, options, { humanId: HUMAN, humanRoles: ['finance'] });
    expect(allowed.subjects.human).toEqual({ ok: true, reason: 'authorized', checkedBy: 'roles' });
    const denied = await send(agbac, options, { humanId: HUMAN, humanRoles: ['payroll'] });
    expect(denied.allow ? 'allow' : denied.code).toBe('human_denied');
  });
});
