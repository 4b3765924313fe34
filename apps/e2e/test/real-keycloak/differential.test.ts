// The same token requests to the real Keycloak 26.7.3 and to the embedded IdP's Keycloak profile:
// status codes, error bodies (`error`, `error_description`) and the layout of token responses and
// access tokens (claim names and JSON types, not values) must agree. This is what the embedded
// profile is calibrated against; Keycloak's own rules are in AbstractBaseJWTValidator
// (keycloak/keycloak, services/src/main/java/org/keycloak/authentication/authenticators/client/).
import type { RealKeycloakClientAuth } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  type AssertionOverrides,
  actClaims,
  agentOf,
  claimLayout,
  clientAssertion,
  humanOf,
  postAssertion,
  realRealm,
  type TokenAnswer,
} from './harness.ts';

interface Side {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly agents: Parameters<typeof agentOf>[0]['agents'];
  readonly humans: Parameters<typeof humanOf>[0]['humans'];
}

const idp = useEmbeddedIdp({ vendors: ['keycloak'] });

/** What the differential test compares of one answer. */
function comparable(answer: TokenAnswer): unknown {
  const { access_token: token, ...rest } = answer.body;
  if (answer.status !== 200 || typeof token !== 'string')
    return { status: answer.status, error: rest.error, error_description: rest.error_description };
  return {
    status: answer.status,
    body: claimLayout(rest),
    header: claimLayout(decodeProtectedHeader(token)),
    claims: claimLayout(decodeJwt(token)),
  };
}

type Request = (side: Side, clientAuth: RealKeycloakClientAuth) => Promise<TokenAnswer>;

function assertionRequest(
  agentId: string,
  human: string | undefined,
  overrides: AssertionOverrides = {},
  extra: Record<string, string> = {},
): Request {
  return async (side, clientAuth) => {
    const claims = human === undefined ? {} : actClaims(humanOf(side, human));
    const assertion = await clientAssertion(clientAuth, side.issuer, agentOf(side, agentId), {
      ...overrides,
      claims: { ...claims, ...overrides.claims },
    });
    return postAssertion(side.tokenEndpoint, assertion, extra);
  };
}

const replayed: Request = async (side, clientAuth) => {
  const assertion = await clientAssertion(clientAuth, side.issuer, agentOf(side, 'finance-agent'));
  const first = await postAssertion(side.tokenEndpoint, assertion);
  expect(first.status).toBe(200);
  return postAssertion(side.tokenEndpoint, assertion);
};

const requests: [string, Request][] = [
  ['an approved agent and human (alice)', assertionRequest('finance-agent', 'alice')],
  ['a human without the human role (bob)', assertionRequest('finance-agent', 'bob')],
  ['a human who did not approve the agent (carol)', assertionRequest('finance-agent', 'carol')],
  ['an agent without the agent role (rogue-agent)', assertionRequest('rogue-agent', 'alice')],
  ['no act at all', assertionRequest('finance-agent', undefined)],
  [
    'an assertion issued 61 s ago (the 60 s window)',
    assertionRequest('finance-agent', 'alice', { iatOffset: -61, lifetime: 120 }),
  ],
  [
    'an assertion issued 45 s ago, with a 10 min lifetime',
    assertionRequest('finance-agent', 'alice', { iatOffset: -45, lifetime: 600 }),
  ],
  ['an iat 30 s in the future', assertionRequest('finance-agent', 'alice', { iatOffset: 30 })],
  [
    'an iat 10 s in the future (inside the 15 s skew)',
    assertionRequest('finance-agent', 'alice', { iatOffset: 10 }),
  ],
  ['an expired assertion', assertionRequest('finance-agent', 'alice', { iatOffset: -30, lifetime: 20 })],
  ['a replayed jti', replayed],
  ['a wrong secret or key', assertionRequest('finance-agent', 'alice', { wrongKey: true })],
  ['an unknown scope', assertionRequest('finance-agent', 'alice', {}, { scope: 'payroll.admin' })],
];

describe.each(['client_secret_jwt', 'private_key_jwt'] as const)(
  'real Keycloak and the embedded Keycloak profile, %s',
  (clientAuth) => {
    it.each(requests)('answer %s alike', async (_name, request) => {
      const real = realRealm(clientAuth);
      const embedded = idp.profile('keycloak');
      const [realAnswer, embeddedAnswer] = [
        await request(real, clientAuth),
        await request(embedded, clientAuth),
      ];
      const expected = comparable(realAnswer);
      expect(comparable(embeddedAnswer), `real Keycloak: ${JSON.stringify(expected)}`).toEqual(expected);
    });
  },
);
