import type { Vendor } from '@dual-auth/core';
import type { Decision, Layout } from '@dual-auth/verifier';
import { type ExitCode, exitCodes } from '../../exit-codes.ts';
import { type CommandContext, writeJson } from '../command-context.ts';
import { entraAudienceRefusalFix } from '../entra-audience-fix.ts';
import { humanStatus, humanVerdictText } from '../human-policy.ts';
import { oktaAgentRoleHint } from '../okta-agent-role-hint.ts';
import { claimRefusalHint, type ExpectedClaims } from '../verify-hints.ts';

/** The exit status of a decision. */
export function decisionExitCode(decision: Decision): ExitCode {
  if (decision.allow) return exitCodes.ok;
  if (decision.code === 'token_invalid') return exitCodes.tokenInvalid;
  if (decision.code === 'idp_unavailable') return exitCodes.unavailable;
  return exitCodes.denied;
}

/** The decision as plain data: subjects, ids and reasons (never the token, email or name). */
export function decisionSummary(decision: Decision) {
  return {
    allow: decision.allow,
    ...(decision.allow ? {} : { code: decision.code, status: decision.status, reason: decision.reason }),
    agent: decision.agent === undefined ? undefined : { ...decision.agent },
    human:
      decision.human === undefined
        ? undefined
        : { id: decision.human.id, roles: decision.human.roles, status: humanStatus(decision) },
    ...(decision.allow ? { delegation: decision.delegation, chain: decision.chain } : {}),
    subjects: decision.subjects,
  };
}

/** Human-readable lines for a decision; `hint` follows the first line (expected vs actual claims). */
export function renderDecision(
  decision: Decision,
  context: CommandContext,
  layout: Layout,
  hint?: string,
): string {
  const { style } = context;
  const lines = [
    decision.allow
      ? style.ok(style.bold('ALLOW'))
      : `${style.fail(style.bold('DENY'))} ${decision.code} (HTTP ${decision.status}): ${decision.reason}`,
  ];
  if (hint !== undefined) lines.push(`  ${hint}`);
  const subjects = [
    ['agent', decision.agent?.id],
    ['human', decision.human?.id],
    ['delegation', decision.allow ? decision.delegation?.method : undefined],
  ] as const;
  for (const [name, id] of subjects) {
    const verdict = decision.subjects[name];
    // The human is shown as authorized only when a check authorized it; present is not enough.
    const status = name === 'human' ? humanStatus(decision) : verdict.ok ? 'authorized' : 'denied';
    const mark = { authorized: style.ok('✔'), not_checked: style.warn('!'), denied: style.fail('✘') }[status];
    const reason = name === 'human' && id !== undefined ? humanVerdictText(decision, layout) : verdict.reason;
    lines.push(`  ${mark} ${name.padEnd(10)}  ${id === undefined ? '' : `${id}: `}${reason}`);
  }
  // RFC 8693: the actors, the current one (the agent) first, as the audit event records them.
  if (decision.allow && layout === 'rfc8693')
    lines.push(`    ${'chain'.padEnd(10)}  ${decision.chain.join(' ← ')}`);
  return `${lines.join('\n')}\n`;
}

/** The one hint of a refusal: the expected against the actual claims (with Entra's audience fix), else Okta's agent role. */
export function decisionHint(
  decision: Decision,
  token: string,
  actAssertion: string | undefined,
  expected: ExpectedClaims,
  vendor: Vendor,
): string | undefined {
  const claimHint = claimRefusalHint(decision, token, actAssertion, expected);
  const entraFix =
    vendor === 'entraid' ? entraAudienceRefusalFix(decision, token, expected.audience) : undefined;
  return (
    (claimHint !== undefined && entraFix !== undefined ? `${claimHint}: ${entraFix}` : claimHint) ??
    oktaAgentRoleHint(decision, vendor)
  );
}

/** Writes the decision (as JSON with --json) and returns its exit status. */
export function writeDecision(
  context: CommandContext,
  decision: Decision,
  {
    json,
    layout,
    hint,
  }: { readonly json: boolean | undefined; readonly layout: Layout; readonly hint: string | undefined },
): ExitCode {
  if (json)
    writeJson(context, {
      ...decisionSummary(decision),
      ...(hint === undefined ? {} : { hint }),
      exitCode: decisionExitCode(decision),
    });
  else context.out.write(renderDecision(decision, context, layout, hint));
  return decisionExitCode(decision);
}
