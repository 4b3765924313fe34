import { inspect } from 'node:util';
import { decodeJwt } from 'jose';
import { expect, it } from 'vitest';
import { captureLogger } from './capture-logger.ts';
import type { ConformanceFixture } from './conformance-fixture.ts';
import { rejection } from './expect-refusal.ts';

/** No secret, key, token, email or name in logs, errors or serialized objects. */
export function describeSecrecyCases(fixture: ConformanceFixture): void {
  it('never shows the secret, key, tokens, email or name in logs, errors or serialized objects', async () => {
    const lines: string[] = [];
    const logger = captureLogger(lines);
    const act = fixture.actOf(fixture.humans.approved);
    const adapter = await fixture.build({ logger });
    const tokenResponse = await adapter.requestToken({ agentId: fixture.agent.clientId, act });
    const failures = await Promise.all([
      rejection(
        (await fixture.build({ logger, wrongCredentials: true })).requestToken({
          agentId: fixture.agent.clientId,
          act,
        }),
      ),
      rejection(
        (await fixture.build({ logger, agent: fixture.rogue })).requestToken({
          agentId: fixture.rogue.clientId,
          act,
        }),
      ),
    ]);
    if (fixture.faults !== undefined) {
      fixture.faults.garbleNext(1, 'truncated-json');
      failures.push(await rejection(adapter.requestToken({ agentId: fixture.agent.clientId, act })));
    }
    const outputs = [
      ...lines,
      JSON.stringify(adapter),
      inspect(adapter, { depth: 6 }),
      String(adapter),
      JSON.stringify(tokenResponse),
      inspect(tokenResponse),
      String(tokenResponse),
      ...failures.flatMap((error) => [String(error), JSON.stringify(error), inspect(error, { depth: 6 })]),
    ].join('\n');
    const canaries = [
      fixture.agent.clientSecret,
      tokenResponse.accessToken,
      tokenResponse.accessToken.split('.')[2] ?? '',
      tokenResponse.actAssertion,
      fixture.agent.privateJwk?.d,
      act.email,
      act.name,
    ].filter((canary): canary is string => typeof canary === 'string' && canary.length > 0);
    for (const canary of canaries) expect(outputs).not.toContain(canary);
    expect(decodeJwt(tokenResponse.accessToken).iss).toBe(fixture.profile.issuer);
  });
}
