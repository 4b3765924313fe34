import { randomUUID } from 'node:crypto';
import { InSessionAPICall } from '@dual-auth/client';
import { TokenResponse, type Vendor } from '@dual-auth/core';
import { HybridSender } from '@dual-auth/sender';
import { decodeJwt } from 'jose';
import { outcomeFromAgent, type TaskRequest } from './demo-application.ts';
import { exchangeScenarios } from './exchange-scenarios.ts';
import { runFinanceTask } from './run-finance-task.ts';
import { signPythonActJwt } from './sign-python-act-jwt.ts';
import type { DemoStack } from './start-demo-stack.ts';
import type { FailedCondition, StoppedAt, TaskOutcome } from './task-outcome.ts';
import { nativeLayout } from './vendor-setup.ts';

/** What a scenario must produce; `N/A`: the vendor has no such case, the scenario is not run. */
export interface Expectation {
  readonly decision: 'ALLOW' | 'DENY' | 'N/A';
  readonly stoppedAt?: StoppedAt;
  readonly failed?: FailedCondition;
  readonly code?: string;
}

/** One scripted scenario. */
export interface Scenario {
  readonly id: string;
  readonly flow: 'in-session' | 'out-of-session' | 'mcp' | 'exchange';
  readonly title: string;
  readonly human: string;
  readonly agent: string;
  /** The agent (or the agents of a chain, `a→b`) at this vendor, when it differs from `agent`. */
  agentAt?(vendor: Vendor): string;
  /** Whether the vendor's demo has this scenario (default: every vendor's). */
  readonly appliesTo?: (vendor: Vendor) => boolean;
  expected(vendor: Vendor): Expectation;
  /** What the table says beside the row at this vendor (why the outcome is what it is). */
  note?(vendor: Vendor): string | undefined;
  run(stack: DemoStack, vendor: Vendor): Promise<TaskOutcome>;
}

/** A scenario's result, as the table and the JSON lines show it. */
export interface ScenarioResult {
  readonly vendor: Vendor;
  readonly flow: Scenario['flow'];
  readonly scenario: string;
  readonly title: string;
  readonly human: string;
  readonly agent: string;
  readonly expected: Expectation;
  readonly decision: Expectation['decision'];
  readonly stoppedAt: StoppedAt | undefined;
  readonly failed: FailedCondition | undefined;
  readonly code: string;
  readonly httpStatus: number | undefined;
  readonly auditEventId: string | undefined;
  readonly reason: string;
  readonly note: string | undefined;
  readonly pass: boolean;
}

const apiCall = new InSessionAPICall({ timeoutSeconds: 10, retries: 0 });

function humanId(stack: DemoStack, vendor: Vendor, name: string): string {
  const found = stack.idp.profile(vendor).humans.find((human) => human.name.toLowerCase().startsWith(name));
  if (found === undefined) throw new TypeError(`no human ${name}`);
  return found.id;
}

/** Where the human is checked first: inside the IdP (agbac vendors) or at the API (hybrid vendors). */
const humanCheckedAt = (vendor: Vendor): StoppedAt => (nativeLayout(vendor) === 'agbac' ? 'idp' : 'api');

// Keycloak refuses nothing at its token endpoint (as Keycloak 26.7.3 does): its act mapper issues
// the token without act (with dual_auth_refusal), and the API denies a token without a human.
function onKeycloakAtTheApi(vendor: Vendor, expectation: Expectation): Expectation {
  return vendor === 'keycloak' && expectation.stoppedAt === 'idp'
    ? { decision: 'DENY', stoppedAt: 'api', failed: 'token', code: 'token_invalid' }
    : expectation;
}

// In the MCP flow the finance-tools MCP server, not the finance API, runs the verifier.
function atTheMcpServer(flow: Scenario['flow'], expectation: Expectation): Expectation {
  return flow === 'mcp' && expectation.stoppedAt === 'api'
    ? { ...expectation, stoppedAt: 'mcp' }
    : expectation;
}

function table(flow: TaskRequest['flow']): Scenario[] {
  const rows: [string, string, string, string, (vendor: Vendor) => Expectation][] = [
    ['allow', 'approved agent + approved human', 'alice', 'finance-agent', () => ({ decision: 'ALLOW' })],
    [
      'agent-unapproved',
      'unapproved agent',
      'alice',
      'rogue-agent',
      () => ({ decision: 'DENY', stoppedAt: 'idp', failed: 'agent' }),
    ],
    [
      'human-unapproved',
      'unapproved human (lacks FinanceUser)',
      'bob',
      'finance-agent',
      // At the API the verifier's human policy refuses bob (`human_denied`, not `human_unchecked`).
      (v) => ({
        decision: 'DENY',
        stoppedAt: humanCheckedAt(v),
        failed: 'human',
        ...(humanCheckedAt(v) === 'api' ? { code: 'human_denied' } : {}),
      }),
    ],
    [
      'both-unapproved',
      'unapproved agent + unapproved human',
      'bob',
      'rogue-agent',
      () => ({ decision: 'DENY', stoppedAt: 'idp', failed: 'agent' }),
    ],
    [
      'delegation-missing',
      'human never approved this agent',
      'carol',
      'finance-agent',
      (v) => ({ decision: 'DENY', stoppedAt: humanCheckedAt(v), failed: 'delegation' }),
    ],
  ];
  return rows.map(([id, title, human, agent, expected]) => ({
    id,
    flow,
    title,
    human,
    agent,
    expected: (vendor: Vendor) => atTheMcpServer(flow, onKeycloakAtTheApi(vendor, expected(vendor))),
    run: (stack, vendor) =>
      stack.app.runTask({
        vendor,
        humanId: humanId(stack, vendor, human),
        agentId: agent,
        flow,
        task: 'post-summary',
      }),
  }));
}

async function invokeWith(stack: DemoStack, vendor: Vendor, actJwt: string): Promise<TaskOutcome> {
  const correlationId = randomUUID();
  const endpoint = stack.agentService.endpoint(vendor, 'finance-agent');
  const { status, body } = await stack.app.invokeAgent(
    endpoint,
    { act_jwt: actJwt, task: 'read-report' },
    correlationId,
  );
  return outcomeFromAgent(status, body, correlationId, actJwt);
}

function tamper(actJwt: string, newSub: string): string {
  const [header, payload, signature] = actJwt.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  const forged = { ...claims, sub: newSub, act: { ...(claims.act as object), sub: newSub } };
  return [header, Buffer.from(JSON.stringify(forged)).toString('base64url'), signature].join('.');
}

const attacks: Scenario[] = [
  {
    id: 'expired-token',
    flow: 'in-session',
    title: 'expired access token (API clock past exp)',
    human: 'alice',
    agent: 'finance-agent',
    expected: () => ({ decision: 'DENY', stoppedAt: 'api', failed: 'token', code: 'token_invalid' }),
    async run(stack, vendor) {
      const tokenResponse = await stack.app.requestInSessionToken(
        vendor,
        'finance-agent',
        humanId(stack, vendor, 'alice'),
      );
      const exp = Number(decodeJwt(tokenResponse.accessToken).exp) * 1000;
      // The same token presented after it expired: the API's clock is moved past exp + skew.
      stack.api.setClockOffset(exp - Date.now() + 120_000);
      try {
        return await runFinanceTask({
          apiCall,
          apiUrl: stack.api.url(vendor, nativeLayout(vendor)),
          tokenResponse,
          task: 'read-report',
          correlationId: randomUUID(),
        });
      } finally {
        stack.api.setClockOffset(0);
      }
    },
  },
  {
    id: 'assertion-moved',
    flow: 'in-session',
    title: "hybrid act assertion moved to another agent's token",
    human: 'alice',
    agent: 'directory-reader',
    expected: () => ({ decision: 'DENY', stoppedAt: 'api', failed: 'token', code: 'token_invalid' }),
    async run(stack, vendor) {
      const alice = humanId(stack, vendor, 'alice');
      const stolen = await stack.app.requestInSessionToken(vendor, 'finance-agent', alice, 'hybrid');
      const other = await stack.app.requestInSessionToken(vendor, 'directory-reader', alice, 'hybrid');
      const forged = new TokenResponse({
        accessToken: other.accessToken,
        tokenType: 'Bearer',
        expiresIn: 60,
        ...(stolen.actAssertion ? { actAssertion: stolen.actAssertion } : {}),
      });
      return runFinanceTask({
        apiCall,
        apiUrl: stack.api.url(vendor, 'hybrid'),
        tokenResponse: forged,
        task: 'read-report',
        correlationId: randomUUID(),
      });
    },
  },
  {
    id: 'act-jwt-replayed',
    flow: 'out-of-session',
    title: 'replayed act JWT (second use)',
    human: 'alice',
    agent: 'finance-agent',
    expected: () => ({ decision: 'DENY', stoppedAt: 'agent', failed: 'act_jwt', code: 'replayed' }),
    async run(stack, vendor) {
      const endpoint = stack.agentService.endpoint(vendor, 'finance-agent');
      const actJwt = await stack.app.sender.prepareOutOfSessionAct(
        stack.app.actFor(vendor, humanId(stack, vendor, 'alice')),
        { agentEndpoint: endpoint },
      );
      const first = await invokeWith(stack, vendor, actJwt);
      if (first.decision !== 'ALLOW') return first;
      return invokeWith(stack, vendor, actJwt);
    },
  },
  {
    id: 'act-jwt-tampered',
    flow: 'out-of-session',
    title: "tampered act JWT (bob's JWT edited to name alice)",
    human: 'bob→alice',
    agent: 'finance-agent',
    expected: () => ({ decision: 'DENY', stoppedAt: 'agent', failed: 'act_jwt', code: 'signature_invalid' }),
    async run(stack, vendor) {
      const endpoint = stack.agentService.endpoint(vendor, 'finance-agent');
      const actJwt = await stack.app.sender.prepareOutOfSessionAct(
        stack.app.actFor(vendor, humanId(stack, vendor, 'bob')),
        { agentEndpoint: endpoint },
      );
      return invokeWith(stack, vendor, tamper(actJwt, humanId(stack, vendor, 'alice')));
    },
  },
  {
    id: 'act-jwt-expired',
    flow: 'out-of-session',
    title: 'expired act JWT (signed 10 minutes ago)',
    human: 'alice',
    agent: 'finance-agent',
    expected: () => ({ decision: 'DENY', stoppedAt: 'agent', failed: 'act_jwt', code: 'expired' }),
    async run(stack, vendor) {
      const endpoint = stack.agentService.endpoint(vendor, 'finance-agent');
      const past = await HybridSender.create({
        privateKeyPath: stack.shared.appPrivateKeyPath,
        appId: stack.shared.appId,
        clock: () => Date.now() - 10 * 60_000,
      });
      const actJwt = await past.prepareOutOfSessionAct(
        stack.app.actFor(vendor, humanId(stack, vendor, 'alice')),
        { agentEndpoint: endpoint },
      );
      return invokeWith(stack, vendor, actJwt);
    },
  },
  {
    id: 'python-act-jwt',
    flow: 'out-of-session',
    title: 'Python reference act JWT (typ JWT, iss = sub: "application")',
    human: 'alice',
    agent: 'finance-agent',
    expected: () => ({ decision: 'ALLOW' }),
    async run(stack, vendor) {
      const endpoint = stack.agentService.endpoint(vendor, 'finance-agent');
      const actJwt = await signPythonActJwt({
        privateKeyPath: stack.shared.appPrivateKeyPath,
        agentEndpoint: endpoint,
        act: stack.app.actFor(vendor, humanId(stack, vendor, 'alice')),
      });
      return invokeWith(stack, vendor, actJwt);
    },
  },
];

/** Every scripted scenario, in table order. */
export const scenarios: readonly Scenario[] = [
  ...table('in-session'),
  ...attacks.filter((attack) => attack.flow === 'in-session'),
  ...table('out-of-session'),
  ...attacks.filter((attack) => attack.flow === 'out-of-session'),
  // The MCP SDK client calling the finance-tools MCP server: alice allowed, bob and carol refused.
  ...table('mcp').filter((row) => ['allow', 'human-unapproved', 'delegation-missing'].includes(row.id)),
  // Exchange mode: the human's own token exchanged at the IdP, at the vendors whose exchange landed.
  ...exchangeScenarios,
];

/** The scenarios of one vendor's demo, in table order. */
export function scenariosOf(vendor: Vendor): Scenario[] {
  return scenarios.filter((scenario) => scenario.appliesTo?.(vendor) ?? true);
}

const notRun: TaskOutcome = {
  decision: 'DENY',
  stoppedAt: undefined,
  failed: undefined,
  code: '-',
  httpStatus: undefined,
  reason: 'not run: the vendor has no such case',
  auditEventId: undefined,
  correlationId: '',
};

function matches(expected: Expectation, outcome: TaskOutcome): boolean {
  return (
    outcome.decision === expected.decision &&
    (expected.stoppedAt === undefined || outcome.stoppedAt === expected.stoppedAt) &&
    (expected.failed === undefined || outcome.failed === expected.failed) &&
    (expected.code === undefined || outcome.code === expected.code)
  );
}

/**
 * Runs every scenario for each vendor, in order; `onResult` sees each result as it lands. Stops
 * before the next scenario once `signal` is aborted.
 */
export async function runScenarios(
  stack: DemoStack,
  vendors: readonly Vendor[],
  onResult: (result: ScenarioResult) => void = () => {},
  signal?: AbortSignal,
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const vendor of vendors) {
    for (const scenario of scenariosOf(vendor)) {
      if (signal?.aborted) return results;
      const expected = scenario.expected(vendor);
      let outcome: TaskOutcome;
      try {
        outcome = expected.decision === 'N/A' ? notRun : await scenario.run(stack, vendor);
      } catch (error) {
        outcome = {
          decision: 'DENY',
          stoppedAt: undefined,
          failed: undefined,
          code: 'demo_error',
          httpStatus: undefined,
          reason: `unexpected error: ${(error as Error).name}`,
          auditEventId: undefined,
          correlationId: '',
        };
      }
      const result: ScenarioResult = {
        vendor,
        flow: scenario.flow,
        scenario: scenario.id,
        title: scenario.title,
        human: scenario.human,
        agent: scenario.agentAt?.(vendor) ?? scenario.agent,
        expected,
        decision: expected.decision === 'N/A' ? 'N/A' : outcome.decision,
        stoppedAt: outcome.stoppedAt,
        failed: outcome.failed,
        code: outcome.code,
        httpStatus: outcome.httpStatus,
        auditEventId: outcome.auditEventId,
        reason: outcome.reason,
        note: scenario.note?.(vendor),
        pass: expected.decision === 'N/A' || matches(expected, outcome),
      };
      results.push(result);
      onResult(result);
    }
  }
  return results;
}
