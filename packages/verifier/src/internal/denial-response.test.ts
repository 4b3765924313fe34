import { describe, expect, it } from 'vitest';
import type { DenyDecision } from '../decision.ts';
import { credentialHeadersFromRaw, denialResponse } from './denial-response.ts';

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

describe('credentialHeadersFromRaw', () => {
  it('reads the four headers case-insensitively and refuses repeated ones', () => {
    expect(
      credentialHeadersFromRaw([
        'Host',
        'api',
        'AUTHORIZATION',
        'Bearer a',
        'X-Act-Assertion',
        'x.y.z',
        'x-request-id',
        'r-1',
        'TraceParent',
        't',
      ]),
    ).toEqual({ authorization: 'Bearer a', actAssertion: 'x.y.z', requestId: 'r-1', traceparent: 't' });
    expect(
      credentialHeadersFromRaw(['authorization', 'Bearer a', 'Authorization', 'Bearer b']).authorization,
    ).toBe('\0repeated');
  });
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
