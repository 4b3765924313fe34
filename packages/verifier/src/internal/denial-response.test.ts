import { describe, expect, it } from 'vitest';
import type { DenyDecision } from '../decision.ts';
import { denialResponse } from './denial-response.ts';

const deny = (code: DenyDecision['code'], status: DenyDecision['status'], reason: string): DenyDecision => ({
  allow: false,
  code,
  status,
  reason,
  subjects: {
    agent: { ok: false, reason },
    human: { ok: false, reason },
    delegation: { ok: false, reason },
  },
  auditEventId: 'id',
});

describe('denialResponse (RFC 6750)', () => {
  it('answers a missing token with a bare challenge', () => {
    expect(denialResponse(deny('token_invalid', 401, 'no bearer token')).headers['www-authenticate']).toBe(
      'Bearer',
    );
  });

  it('answers 401, 403 and 503 with their challenges, quoting safely', () => {
    expect(denialResponse(deny('token_invalid', 401, 'bad "sig"\\'), 'api').headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="bad sig"',
    );
    expect(denialResponse(deny('human_denied', 403, 'lacks role x')).headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", error_description="lacks role x"',
    );
    const unavailable = denialResponse(deny('idp_unavailable', 503, 'down'));
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('30');
    expect(unavailable.body).toEqual({ error: 'idp_unavailable', error_description: 'down' });
  });
});
