// The doctor's runner on checks of its own (no IdP): needs resolved from inputs and earlier
// results, not-run checks named by their first missing need, lines in list order as they happen.
// Then doctor's own list: in order, and what its checks say when a need is missing.
import { describe, expect, it } from 'vitest';
import { loadAppConfig, probeAdapter } from '../app-config.ts';
import type { CommandContext } from '../command-context.ts';
import type { CheckOutcome, DoctorCheck } from './doctor-check.ts';
import { doctorChecks, doctorInputFacts } from './doctor-checks.ts';
import type { DoctorInput } from './doctor-facts.ts';
import { assertChecksInOrder, runDoctorChecks } from './run-doctor-checks.ts';

interface Facts {
  readonly url: string;
  readonly document: { readonly issuer: string };
  readonly keys: number;
  readonly human: string;
  readonly token: string;
}

type Check = DoctorCheck<Facts, keyof Facts, string[]>;

/** A check that records its run in the input's log, then answers `outcome`. */
function check(
  id: string,
  needs: readonly (keyof Facts)[],
  outcome: CheckOutcome<Facts>,
  extra: Partial<Check> = {},
): Check {
  const provides = Object.keys(outcome.provides ?? {});
  return {
    id,
    title: `title of ${id}`,
    needs,
    provides: provides as (keyof Facts)[],
    run: async (_facts, log) => {
      log.push(`run ${id}`);
      return outcome;
    },
    ...extra,
  };
}

describe('runDoctorChecks', () => {
  it('runs checks in order, each with the facts inputs and earlier checks provided', async () => {
    const seen: unknown[] = [];
    const checks: Check[] = [
      check('a', [], { status: 'pass', detail: 'url found', provides: { url: 'https://idp' } }),
      {
        ...check('b', ['url', 'human'], { status: 'pass', detail: 'document read' }),
        provides: ['document'],
        run: async (facts) => {
          seen.push(facts.url, facts.human);
          return { status: 'pass', detail: 'document read', provides: { document: { issuer: facts.url } } };
        },
      },
      {
        ...check('c', ['document'], { status: 'silent' }),
        run: async ({ document }) => ({ status: 'warn', detail: `issuer ${document.issuer}`, fix: 'look' }),
      },
    ];
    const run = await runDoctorChecks(checks, { human: 'alice' }, []);
    expect(seen).toEqual(['https://idp', 'alice']);
    expect(run.lines).toEqual([
      { id: 'a', title: 'title of a', status: 'pass', detail: 'url found' },
      { id: 'b', title: 'title of b', status: 'pass', detail: 'document read' },
      { id: 'c', title: 'title of c', status: 'warn', detail: 'issuer https://idp', fix: 'look' },
    ]);
    expect(run.notRun).toEqual([]);
    expect(run.facts).toEqual({ human: 'alice', url: 'https://idp', document: { issuer: 'https://idp' } });
  });

  it('does not run a check whose need failed, and names the first missing need in its declared order', async () => {
    const log: string[] = [];
    const checks: Check[] = [
      check('url', [], { status: 'fail', fault: 'token_url_shape', detail: 'bad url', fix: 'fix it' }),
      check('keys', [], { status: 'pass', detail: 'keys', provides: { keys: 1 } }),
      check('document', ['keys', 'url'], { status: 'pass', detail: 'never' }),
      check(
        'token',
        ['human', 'url'],
        { status: 'pass', detail: 'never' },
        {
          whenNotRun: (need) => ({ status: 'skip', detail: `skipped: needs ${String(need)}` }),
        },
      ),
    ];
    const run = await runDoctorChecks(checks, {}, log);
    expect(log).toEqual(['run url', 'run keys']);
    expect(run.notRun).toEqual([
      { id: 'document', missing: 'url' },
      { id: 'token', missing: 'human' },
    ]);
    // Without whenNotRun a check that did not run adds no line (an earlier line said why).
    expect(run.lines.map((line) => [line.id, line.status, line.detail])).toEqual([
      ['url', 'fail', 'bad url'],
      ['keys', 'pass', 'keys'],
      ['token', 'skip', 'skipped: needs human'],
    ]);
  });

  it('reports a missing input as a failure when the check says so (as doctor does without --human)', async () => {
    const checks: Check[] = [
      check(
        'token',
        ['human'],
        { status: 'pass', detail: 'never' },
        {
          whenNotRun: () => ({
            status: 'fail',
            fault: 'no_test_human',
            detail: 'no human',
            fix: 'pass --human',
          }),
        },
      ),
    ];
    const run = await runDoctorChecks(checks, {}, []);
    expect(run.lines).toEqual([
      {
        id: 'token',
        title: 'title of token',
        status: 'fail',
        fault: 'no_test_human',
        detail: 'no human',
        fix: 'pass --human',
      },
    ]);
  });

  it('lets a failed or skipped check provide what does not depend on what failed, and a silent one print nothing', async () => {
    const log: string[] = [];
    const checks: Check[] = [
      check('optional', [], {
        status: 'fail',
        fault: 'app_key',
        detail: 'key unreadable',
        fix: 'chmod',
        provides: { keys: 0 },
      }),
      check('quiet', [], { status: 'silent', provides: { url: 'https://idp' } }),
      check('skipped', [], { status: 'skip', detail: 'not used', provides: { human: 'nobody' } }),
      check('after', ['keys', 'url', 'human'], { status: 'pass', detail: 'ran' }),
    ];
    const run = await runDoctorChecks(checks, {}, log);
    expect(log).toContain('run after');
    expect(run.lines.map((line) => line.id)).toEqual(['optional', 'skipped', 'after']);
  });

  it('hands each line on as it is decided, before the next check runs', async () => {
    const events: string[] = [];
    const checks: Check[] = [
      check('first', [], { status: 'pass', detail: 'one' }),
      check('second', [], { status: 'pass', detail: 'two' }),
    ];
    await runDoctorChecks(checks, {}, events, (line) => events.push(`line ${line.id}`));
    expect(events).toEqual(['run first', 'line first', 'run second', 'line second']);
  });

  it('titles a check from what is known when it is decided', async () => {
    const checks: Check[] = [
      check('a', [], { status: 'pass', detail: 'found', provides: { url: 'https://idp' } }),
      check('b', [], { status: 'pass', detail: 'ok' }, { title: (facts) => `${facts.url ?? '?'} answers` }),
    ];
    const run = await runDoctorChecks(checks, {}, []);
    expect(run.lines[1]?.title).toBe('https://idp answers');
  });

  it('refuses a fact the check does not declare (a mistake in the check, not in the setup)', async () => {
    const sneaky: Check = {
      ...check('a', [], { status: 'pass', detail: 'x', provides: { token: 't' } }),
      provides: [],
    };
    await expect(runDoctorChecks([sneaky], {}, [])).rejects.toThrow(
      new TypeError('doctor check a provided token, which it does not declare'),
    );
  });
});

describe('assertChecksInOrder', () => {
  it('refuses a check that needs what only a later check provides', () => {
    const checks: Check[] = [
      check('document', ['url'], { status: 'pass', detail: 'x' }),
      check('url', [], { status: 'pass', detail: 'x', provides: { url: 'u' } }),
    ];
    expect(() => assertChecksInOrder(checks, [])).toThrow(
      new TypeError('doctor check document needs url, which no earlier check provides'),
    );
    expect(() => assertChecksInOrder([...checks].reverse(), [])).not.toThrow();
    expect(() => assertChecksInOrder(checks, ['url'])).not.toThrow();
  });

  it("holds for doctor's own list, with the test human as its only input", () => {
    expect(() => assertChecksInOrder(doctorChecks, doctorInputFacts)).not.toThrow();
    expect(() => assertChecksInOrder(doctorChecks, [])).toThrow(/needs testHuman/);
  });
});

describe("doctor's checks, when a need is missing (no IdP involved)", () => {
  const output = { write: () => true };
  const context = { out: output, err: output, env: {}, cwd: process.cwd() } as unknown as CommandContext;
  const input: DoctorInput = {
    context,
    environment: {},
    overrides: {},
    humanPolicy: {},
    saveToken: undefined,
  };
  const oktaEnvironment = {
    DUAL_AUTH_VENDOR: 'okta',
    OKTA_TOKEN_URL: 'https://example.okta.com/oauth2/default/v1/token',
    AGENT_CLIENT_ID: 'finance-agent',
    AGENT_CLIENT_SECRET: 'a-secret-of-sufficient-length-0123',
    API_AUDIENCE: 'https://api.example.com/finance',
    API_SCOPE: 'finance.read',
  };

  it('prints only the configuration failure when the configuration does not load', async () => {
    const run = await runDoctorChecks(doctorChecks, { testHuman: 'alice' }, input);
    expect(run.lines.map((line) => [line.id, line.status, line.fault])).toEqual([
      ['config', 'fail', 'config_invalid'],
    ]);
    expect(run.notRun.map((check) => check.id)).toEqual(doctorChecks.slice(1).map((check) => check.id));
  });

  it('hybrid without the application key: the adapter is skipped naming the key, and the token after it', async () => {
    const { config } = await loadAppConfig(oktaEnvironment, {});
    const adapterProbe = await probeAdapter(config);
    expect(adapterProbe.mode).toBe('hybrid');
    const later = doctorChecks.filter((check) => ['adapter', 'token', 'verifier'].includes(check.id));
    const run = await runDoctorChecks(later, { config, adapterProbe, testHuman: 'alice' }, input);
    expect(run.lines).toEqual([
      {
        id: 'adapter',
        title: 'okta adapter',
        status: 'skip',
        detail: 'needs the application key (hybrid mode)',
      },
      {
        id: 'token',
        title: 'token for the test human',
        status: 'skip',
        detail: 'skipped: an earlier check failed',
      },
    ]);
    expect(run.notRun).toEqual([
      { id: 'adapter', missing: 'appKey' },
      { id: 'token', missing: 'adapter' },
      { id: 'verifier', missing: 'humanInToken' },
    ]);
  });

  it('without a test human the token check fails with no_test_human, before naming any other need', async () => {
    const { config } = await loadAppConfig(oktaEnvironment, {});
    const token = doctorChecks.filter((check) => check.id === 'token');
    const run = await runDoctorChecks(token, { config }, input);
    expect(run.lines).toMatchObject([{ id: 'token', status: 'fail', fault: 'no_test_human' }]);
    expect(run.notRun).toEqual([{ id: 'token', missing: 'testHuman' }]);
  });

  it('the verifier check names the audience check, then the human policy, when the human is in the token', async () => {
    const verifier = doctorChecks.filter((check) => check.id === 'verifier');
    const humanInToken = { humanClaim: 'act' };
    const withoutAudience = await runDoctorChecks(verifier, { humanInToken }, input);
    expect(withoutAudience.lines).toMatchObject([
      { status: 'skip', detail: 'skipped: the audience check failed' },
    ]);
    const withoutPolicy = await runDoctorChecks(verifier, { humanInToken, audience: 'https://api' }, input);
    expect(withoutPolicy.lines).toMatchObject([
      { status: 'skip', detail: 'skipped: no human policy to check the human with' },
    ]);
  });
});
