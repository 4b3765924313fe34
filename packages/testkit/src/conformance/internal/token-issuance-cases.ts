import { expect, it } from 'vitest';
import type { IdpAdapterHarness } from '../idp-adapter-harness.ts';
import type { ConformanceFixture } from './conformance-fixture.ts';

/** The adapter names itself and gets one verifiable dual-subject token per request, for its own agent only. */
export function describeTokenIssuanceCases(fixture: ConformanceFixture, harness: IdpAdapterHarness): void {
  it('names its vendor, endpoint and mode', async () => {
    const adapter = await fixture.build();
    expect(adapter.vendor).toBe(harness.vendor);
    expect(adapter.tokenEndpoint).toBe(fixture.profile.tokenEndpoint);
    expect(adapter.mode).toBe(harness.mode);
  });

  it('issues a dual-subject token for an approved agent and human, in one request', async () => {
    const adapter = await fixture.build();
    const before = fixture.countTokenRequests();
    const act = fixture.actOf(fixture.humans.approved);
    const tokenResponse = await adapter.requestToken({ agentId: fixture.agent.clientId, act });
    expect(fixture.countTokenRequests() - before).toBe(1);
    expect(tokenResponse.tokenType).toBe('Bearer');
    expect(tokenResponse.expiresIn).toBeGreaterThan(0);
    await fixture.verifyToken(tokenResponse, act);
  });

  it('refuses a request for another agent with a TypeError', async () => {
    const adapter = await fixture.build();
    await expect(
      adapter.requestToken({ agentId: fixture.rogue.clientId, act: fixture.actOf(fixture.humans.approved) }),
    ).rejects.toThrow(TypeError);
  });
}
