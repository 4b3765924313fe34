import type { AuditEvent } from '@dual-auth/core';
import { silentLogger } from '@dual-auth/core/logging';
import { describe, expect, it } from 'vitest';
import { HumanRecord } from '../private-fields.ts';
import { readRequestCredentials } from '../request-credentials.ts';
import { type AuditedTarget, createAuditTrail } from './audit.ts';
import { finishDecision, type JudgedRequest } from './finish-decision.ts';
import { authorized } from './verdicts.ts';

const request: JudgedRequest = {
  agent: { id: 'finance-agent', roles: ['finance.read'], scopes: [] },
  human: new HumanRecord('alice-id', undefined, { sub: 'alice-id', email: 'alice@example.com' }),
  delegation: { method: 'explicit', grantedAt: 1_800_000_000 },
  chain: ['finance-agent'],
  claims: { sub: 'service-account' },
};
const allowed = {
  subjects: { agent: authorized, human: authorized, delegation: authorized },
  denial: undefined,
};
const credentials = readRequestCredentials({
  authorization: 'Bearer x',
  method: 'GET',
  path: '/reports/alice%40example.com',
});

/** A route target that records which of its members were read. */
function watchedTarget(read: string[]): AuditedTarget {
  return {
    get action() {
      read.push('action');
      return 'reports.read';
    },
    get resource() {
      read.push('resource');
      return '/reports/q4';
    },
  };
}

describe('finishDecision', () => {
  it('serializes an allow decision with the same members, its id in the UUID layout', () => {
    const audit = createAuditTrail(undefined, silentLogger);
    const decision = finishDecision(request, allowed, credentials, {}, Date.now(), {
      audit,
      logger: silentLogger,
    });
    const json = JSON.parse(JSON.stringify(decision)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      'allow',
      'agent',
      'human',
      'delegation',
      'chain',
      'subjects',
      'auditEventId',
    ]);
    expect(json.auditEventId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(JSON.stringify(decision)).not.toContain('alice@example.com');
  });

  it('works out the audited action and resource only when a sink receives them', () => {
    const read: string[] = [];
    const unaudited = createAuditTrail(undefined, silentLogger);
    finishDecision(request, allowed, credentials, watchedTarget(read), 0, {
      audit: unaudited,
      logger: silentLogger,
    });
    expect(read).toEqual([]);

    const events: AuditEvent[] = [];
    const audit = createAuditTrail((event) => void events.push(event), silentLogger);
    const decision = finishDecision(request, allowed, credentials, watchedTarget(read), 0, {
      audit,
      logger: silentLogger,
    });
    expect(read).toEqual(['action', 'resource']);
    expect(events).toMatchObject([
      {
        id: decision.auditEventId,
        action: 'reports.read',
        resource: '/reports/q4',
        decision: 'allow',
        agentId: 'finance-agent',
        humanId: 'alice-id',
      },
    ]);
  });
});
