import { expect, it } from 'vitest';
import type { IdpAdapterHarness } from '../idp-adapter-harness.ts';
import type { ConformanceFixture } from './conformance-fixture.ts';
import { expectRefusal, expectRefused, rejection } from './expect-refusal.ts';

/** The IdP's refusals as typed errors: an agent or human not pre-approved, wrong credentials, a bad scope. */
export function describeRefusalCases(fixture: ConformanceFixture, harness: IdpAdapterHarness): void {
  it('refuses an agent that is not pre-approved', async () => {
    const adapter = await fixture.build({ agent: fixture.rogue });
    await expectRefused(
      () =>
        adapter.requestToken({
          agentId: fixture.rogue.clientId,
          act: fixture.actOf(fixture.humans.approved),
        }),
      harness.refusals.agentNotApproved,
    );
  });

  it('refuses humans that are not pre-approved (no role, no approval)', async (context) => {
    const refusal = harness.refusals.humanNotApproved;
    if (refusal === undefined) {
      return context.skip('the IdP never sees the human in this layout (hybrid): the API checks the human');
    }
    const adapter = await fixture.build();
    for (const human of fixture.humans.refused) {
      await expectRefused(
        () => adapter.requestToken({ agentId: fixture.agent.clientId, act: fixture.actOf(human) }),
        refusal,
      );
    }
  });

  it('refuses wrong credentials, without retrying', async () => {
    const adapter = await fixture.build({ wrongCredentials: true });
    const before = fixture.countTokenRequests();
    const error = await rejection(
      adapter.requestToken({ agentId: fixture.agent.clientId, act: fixture.actOf(fixture.humans.approved) }),
    );
    expectRefusal(error, harness.refusals.wrongCredentials);
    expect(fixture.countTokenRequests() - before).toBe(1);
  });

  it('refuses a bad scope or audience', async () => {
    const adapter = await fixture.build();
    const { scope, refusal } = harness.refusals.badScope;
    const error = await rejection(
      adapter.requestToken({
        agentId: fixture.agent.clientId,
        act: fixture.actOf(fixture.humans.approved),
        scope,
      }),
    );
    expectRefusal(error, refusal);
  });
}
