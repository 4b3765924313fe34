import { randomUUID } from 'node:crypto';
import type { AuditEvent, DelegationMethod, DenialCode } from '@dual-auth/core';

/** Which component wrote an audit event: the finance API's verifier, the agent, or the application. */
export type AuditSource = 'api' | 'agent' | 'app' | 'mcp';

/** One audit event with the component that recorded it. */
export interface TrailEntry {
  readonly source: AuditSource;
  readonly event: AuditEvent;
}

/** Fields of an audit event recorded outside the verifier (IdP refusals, refused act JWTs). */
export interface RefusalRecord {
  readonly correlationId: string;
  readonly agentId: string | undefined;
  readonly humanId: string | undefined;
  readonly action: string;
  readonly resource: string;
  readonly reason: string;
  readonly denial: DenialCode;
  readonly delegationType?: DelegationMethod | undefined;
}

/** A bounded, in-memory audit trail shared by the demo's components (IAM ids only, no personal data). */
export interface AuditTrail {
  record(source: AuditSource, event: AuditEvent): void;
  /** Records a denial decided before the API (IdP pre-approval, act JWT checks); returns its event id. */
  recordRefusal(source: AuditSource, refusal: RefusalRecord): string;
  byCorrelation(correlationId: string): readonly TrailEntry[];
  recent(count: number): readonly TrailEntry[];
}

/** Creates the demo's audit trail, keeping at most `maxEntries` events (oldest dropped). */
export function createAuditTrail(maxEntries = 2_000): AuditTrail {
  const entries: TrailEntry[] = [];
  const record = (source: AuditSource, event: AuditEvent): void => {
    entries.push(Object.freeze({ source, event }));
    if (entries.length > maxEntries) entries.splice(0, entries.length - maxEntries);
  };
  return {
    record,
    recordRefusal(source, refusal) {
      const id = randomUUID();
      record(source, {
        id,
        timestamp: new Date().toISOString(),
        correlationId: refusal.correlationId,
        agentId: refusal.agentId,
        humanId: refusal.humanId,
        action: refusal.action,
        resource: refusal.resource,
        delegationType: refusal.delegationType,
        delegationContext: {},
        decision: 'deny',
        reason: refusal.reason,
        denial: refusal.denial,
      });
      return id;
    },
    byCorrelation: (correlationId) => entries.filter((entry) => entry.event.correlationId === correlationId),
    recent: (count) => entries.slice(-count),
  };
}
