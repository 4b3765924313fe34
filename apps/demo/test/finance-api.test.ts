// The finance API answers denials through the verifier's framework binding (RFC 6750 §3): every
// 401 and 403 carries a `WWW-Authenticate: Bearer` challenge, `invalid_token` for a token that
// fails, `insufficient_scope` for one whose subjects are not authorized, none for no token. Each
// vendor's verifier has a real human policy: bob (no FinanceUser) is denied for the human,
// `human_denied`, never `human_unchecked`.
import { vendors } from '@dual-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINANCE_API_REALM } from '../src/guard-route.ts';
import { type DemoStack, startDemoStack } from '../src/start-demo-stack.ts';

let stack: DemoStack;

beforeAll(async () => {
  stack = await startDemoStack(vendors, {});
}, 60_000);
afterAll(() => stack?.close());

const humanId = (vendor: (typeof vendors)[number], name: string) =>
  stack.idp.profile(vendor).humans.find((human) => human.name.toLowerCase().startsWith(name))?.id ?? '';

async function getReport(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/reports/Q4`, { headers });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

describe('finance API denials', () => {
  it('401 without a token: a bare Bearer challenge with the realm', async () => {
    const { response, body } = await getReport(stack.api.url('keycloak', 'agbac'));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="${FINANCE_API_REALM}"`);
    expect(body.error).toBe('token_invalid');
    expect(response.headers.get('x-audit-event-id')).toBe(body.auditEventId);
  });

  it('401 invalid_token for a token that fails verification', async () => {
    const { response } = await getReport(stack.api.url('okta', 'hybrid'), { authorization: 'Bearer a.b.c' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(
      new RegExp(`^Bearer realm="${FINANCE_API_REALM}", error="invalid_token", error_description="[^"]+"$`),
    );
  });

  it.each(vendors)(
    '%s (hybrid): 403 insufficient_scope, human_denied, for bob who lacks FinanceUser',
    async (vendor) => {
      const tokens = await stack.app.requestInSessionToken(
        vendor,
        'finance-agent',
        humanId(vendor, 'bob'),
        'hybrid',
      );
      const headers = {
        authorization: `Bearer ${tokens.accessToken}`,
        'x-act-assertion': tokens.actAssertion ?? '',
      };
      const { response, body } = await getReport(stack.api.url(vendor, 'hybrid'), headers);
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toMatch(
        new RegExp(
          `^Bearer realm="${FINANCE_API_REALM}", error="insufficient_scope", error_description="[^"]+"$`,
        ),
      );
      expect(body.error).toBe('human_denied');
      expect(body.subjects).toMatchObject({
        agent: { ok: true },
        human: { ok: false },
        delegation: { ok: true },
      });
      expect(JSON.stringify(body.subjects)).toContain('FinanceUser');
      // alice, same agent, same route: allowed.
      const alice = await stack.app.requestInSessionToken(
        vendor,
        'finance-agent',
        humanId(vendor, 'alice'),
        'hybrid',
      );
      const allowed = await getReport(stack.api.url(vendor, 'hybrid'), {
        authorization: `Bearer ${alice.accessToken}`,
        'x-act-assertion': alice.actAssertion ?? '',
      });
      expect([allowed.response.status, allowed.body.human]).toEqual([200, humanId(vendor, 'alice')]);
    },
  );
});
