import { describe, expect, it } from 'vitest';
import { decodeOutcomeRecord, encodeOutcomeRecord } from './flight-outcome-record.ts';

describe('flight outcome record', () => {
  it('carries a well-formed sub-error and drops free text in its place', () => {
    const record = {
      owner: 'o1',
      result: 'failed',
      failure: {
        status: 400,
        oauthError: 'invalid_grant',
        vendorCode: 'AADSTS65001',
        subError: 'consent_required',
      },
    } as const;
    expect(decodeOutcomeRecord(encodeOutcomeRecord(record))).toEqual(record);
    const forged = JSON.stringify({
      owner: 'o1',
      result: 'failed',
      failure: { subError: 'ask {"claims":1}' },
    });
    expect(decodeOutcomeRecord(forged)).toEqual({ owner: 'o1', result: 'failed', failure: {} });
  });
});
