import { expect, it } from 'vitest';
import type { IdpAdapterHarness } from '../idp-adapter-harness.ts';
import type { ConformanceFixture } from './conformance-fixture.ts';
import { expectRefusal, rejection } from './expect-refusal.ts';

const garbageKinds = [
  'not-json',
  'truncated-json',
  'wrong-content-type',
  'oversized',
  'missing-token',
] as const;

/** 429, 5xx, dropped connections, timeouts and garbage bodies; skipped (saying why) against a real IdP, which has no fault switches. */
export function describeFaultCases(fixture: ConformanceFixture, harness: IdpAdapterHarness): void {
  const faultsUnavailable =
    harness.realIdp === undefined ? undefined : 'faults cannot be injected into a real IdP';
  const faultCase = (title: string, body: () => Promise<void>) =>
    it(title, async (context) => {
      if (faultsUnavailable !== undefined) return context.skip(faultsUnavailable);
      await body();
    });

  faultCase(`retries 429 and 5xx answers and dropped connections, then succeeds`, async () => {
    const adapter = await fixture.build();
    const act = fixture.actOf(fixture.humans.approved);
    fixture.faults.rateLimitNext(1, 0);
    await fixture.verifyToken(await adapter.requestToken({ agentId: fixture.agent.clientId, act }), act);
    fixture.faults.failNext(2, 503);
    await fixture.verifyToken(await adapter.requestToken({ agentId: fixture.agent.clientId, act }), act);
    fixture.faults.dropNext(1);
    await fixture.verifyToken(await adapter.requestToken({ agentId: fixture.agent.clientId, act }), act);
  });

  faultCase(`reports a rate limit longer than the retry cap with the wait the IdP announced`, async () => {
    const adapter = await fixture.build();
    fixture.faults.rateLimitNext(3, 30);
    const error = await rejection(
      adapter.requestToken({ agentId: fixture.agent.clientId, act: fixture.actOf(fixture.humans.approved) }),
    );
    const { retryAfterSeconds } = expectRefusal(error, { status: 429 });
    // Auth0 and Okta announce an epoch-second reset (29–30 s away, by where in the second it
    // lands), Entra Retry-After; Keycloak has no rate limiting, so its 429 announces no wait.
    if (harness.vendor === 'keycloak') expect(retryAfterSeconds).toBeUndefined();
    else expect([29, 30]).toContain(retryAfterSeconds);
  });

  faultCase(`reports persistent 5xx and dropped connections after its retries`, async () => {
    const adapter = await fixture.build({ retry: { limit: 1, baseDelayMs: 5 } });
    const act = fixture.actOf(fixture.humans.approved);
    fixture.faults.failNext(2, 500);
    expectRefusal(await rejection(adapter.requestToken({ agentId: fixture.agent.clientId, act })), {
      status: 500,
    });
    fixture.faults.dropNext(2);
    const dropped = await rejection(adapter.requestToken({ agentId: fixture.agent.clientId, act }));
    expect(dropped).toMatchObject({
      code: 'ERR_TOKEN_REQUEST',
      status: undefined,
      oauthError: 'network_error',
    });
  });

  faultCase(`times out a slow IdP`, async () => {
    const adapter = await fixture.build({ timeoutMs: 150, retry: { limit: 0 } });
    fixture.faults.delay(1000);
    const error = await rejection(
      adapter.requestToken({ agentId: fixture.agent.clientId, act: fixture.actOf(fixture.humans.approved) }),
    );
    expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST', status: undefined, oauthError: 'timeout' });
  });

  for (const kind of garbageKinds) {
    faultCase(`refuses a ${kind} token response as invalid_response`, async () => {
      const adapter = await fixture.build();
      fixture.faults.garbleNext(1, kind);
      const error = await rejection(
        adapter.requestToken({
          agentId: fixture.agent.clientId,
          act: fixture.actOf(fixture.humans.approved),
        }),
      );
      expect(expectRefusal(error, { status: 200, oauthError: 'invalid_response' }).message).not.toContain(
        'eyJ',
      );
    });
  }
}
