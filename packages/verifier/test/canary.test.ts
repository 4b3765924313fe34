// Canary scan (SECURITY.md): run the verifier's success and failure paths with a logger and an
// audit sink that capture everything, and prove that no token, act assertion, email or name
// reaches a log line, an audit event, a denial reason, JSON.stringify or util.inspect.
import { inspect } from 'node:util';
import { createJsonLinesLogger } from '@dual-auth/core/logging';
import { describe, expect, it } from 'vitest';
import { createJsonLinesAuditSink } from '../src/create-json-lines-audit-sink.ts';
import { createVerifier } from '../src/create-verifier.ts';
import type { Decision } from '../src/decision.ts';
import type { VerifierOptions } from '../src/verifier-options.ts';
import {
  AGENT,
  APP_ID,
  actAssertion,
  delegation,
  HUMAN_EMAIL,
  HUMAN_NAME,
  human,
  mint,
  NOW,
  NOW_MS,
  testKey,
} from './fixtures.ts';

const idp = testKey('ES256', 'idp-1');
const app = testKey('ES256', 'app-1');
const ISSUER = 'https://127.0.0.1:8443/realms/acme';
const AUDIENCE = 'finance-api';

describe('canary scan: nothing secret or personal leaves the verifier', () => {
  it('keeps tokens, act assertions, emails and names out of logs, audit events and decisions', async () => {
    const lines: string[] = [];
    const logger = createJsonLinesLogger({ level: 'debug', write: (line) => void lines.push(line) });
    const audit = createJsonLinesAuditSink({ write: (line) => void lines.push(line) });
    const common: Partial<VerifierOptions> & Pick<VerifierOptions, 'issuer' | 'audience' | 'vendor'> = {
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: [idp.publicJwk],
      vendor: 'keycloak',
      logger,
      audit,
      clock: () => NOW_MS,
    };
    const agbac = createVerifier({
      ...common,
      layout: 'agbac',
      humanAuthorizer: ({ humanId }) => {
        if (humanId === 'directory-down') throw new Error(`lookup failed for ${HUMAN_EMAIL}`);
        return { roles: ['finance'] };
      },
      policy: ({ resource }) => {
        if (resource === '/explode') throw new Error(`policy bug for ${HUMAN_NAME}`);
        return {};
      },
    });
    const hybrid = createVerifier({
      ...common,
      layout: 'hybrid',
      hybrid: { keys: [app.publicJwk], issuer: APP_ID },
      // Its routes below require no human role: the human is present but unchecked.
      humanRolesClaim: 'roles',
    });
    const claims = (extra: Record<string, unknown> = {}) => ({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'service-account-uuid',
      azp: AGENT,
      iat: NOW - 5,
      exp: NOW + 300,
      realm_access: { roles: ['finance.read'] },
      act: human,
      delegation,
      agbac_ver: '1.0',
      ...extra,
    });
    const plain = mint(idp, claims({ act: undefined, delegation: undefined, agbac_ver: undefined }));
    const tokens = {
      valid: mint(idp, claims()),
      wrongIssuer: mint(idp, claims({ iss: HUMAN_EMAIL })),
      emailAsSubject: mint(idp, claims({ act: { sub: HUMAN_EMAIL, email: HUMAN_EMAIL } })),
      expired: mint(idp, claims({ exp: NOW - 100 })),
      badDelegation: mint(idp, claims({ delegation: { method: HUMAN_NAME, granted_at: NOW } })),
      directoryDown: mint(
        idp,
        claims({ act: { sub: 'directory-down', email: HUMAN_EMAIL, name: HUMAN_NAME } }),
      ),
      plain,
    };
    const assertions = {
      bound: actAssertion(app, plain, { clientId: AGENT, audience: AUDIENCE }),
      unbound: actAssertion(app, tokens.valid, { clientId: AGENT, audience: AUDIENCE }),
    };
    const decisions: Decision[] = [];
    for (const token of Object.values(tokens)) {
      decisions.push(
        await agbac.verify({ authorization: `Bearer ${token}`, path: '/reports' }, { humanRoles: ['hr'] }),
      );
      decisions.push(await agbac.verify({ authorization: `Bearer ${token}`, path: '/explode' }));
      decisions.push(
        await agbac.verify({ authorization: `Bearer ${token}`, path: `/users/${HUMAN_EMAIL}/${token}` }),
      );
    }
    for (const assertion of Object.values(assertions)) {
      decisions.push(await hybrid.verify({ authorization: `Bearer ${plain}`, actAssertion: assertion }));
    }
    decisions.push(await agbac.verify({ authorization: `Bearer ${tokens.valid}`, requestId: HUMAN_EMAIL }));

    expect(decisions.some((decision) => decision.allow)).toBe(true);
    expect(new Set(decisions.map((decision) => (decision.allow ? 'allow' : decision.code)))).toEqual(
      new Set([
        'allow',
        'token_invalid',
        'human_denied',
        'human_unchecked',
        'agent_denied',
        'delegation_invalid',
        'idp_unavailable',
      ]),
    );
    const canaries = [...Object.values(tokens), ...Object.values(assertions), HUMAN_EMAIL, HUMAN_NAME];
    const outputs = [
      ...lines,
      ...decisions.map((decision) => JSON.stringify(decision)),
      ...decisions.map((decision) => inspect(decision, { depth: 10 })),
      ...decisions.map((decision) => (decision.allow ? '' : decision.reason)),
    ];
    expect(lines.length).toBeGreaterThan(decisions.length);
    for (const output of outputs) {
      for (const canary of canaries) {
        expect(output.includes(canary), `canary found in: ${output.slice(0, 200)}`).toBe(false);
        // Tokens also must not appear in part (their payload segment alone identifies them).
        if (canary.startsWith('eyJ')) expect(output.includes(canary.split('.')[1] ?? '')).toBe(false);
      }
    }
    // The display fields stay readable for the application itself.
    const allowed = decisions.find((decision) => decision.allow);
    expect(allowed?.allow && allowed.human.act?.email).toBe(HUMAN_EMAIL);
  });
});
