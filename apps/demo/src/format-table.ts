import type { ScenarioResult } from './scenarios.ts';

const stoppedLabel: Readonly<Record<string, string>> = {
  idp: 'IdP pre-approval',
  agent: 'agent (act JWT)',
  api: 'API (verifier)',
  mcp: 'MCP server',
};

function stoppedText(result: ScenarioResult): string {
  if (result.stoppedAt === undefined) return '-';
  // In exchange mode the IdP refuses an exchange, not a pre-approval.
  if (result.flow === 'exchange' && result.stoppedAt === 'idp') return 'IdP (exchange)';
  return stoppedLabel[result.stoppedAt] ?? result.stoppedAt;
}

function decisionText(decision: ScenarioResult['decision'], failed: string | undefined): string {
  return decision === 'DENY' ? `DENY (${failed ?? '?'})` : decision;
}

/** Renders the results as a plain-text table, one row per scenario, with a summary line. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const header = [
    'vendor',
    'flow',
    'scenario',
    'expected',
    'outcome',
    'stopped at',
    'code',
    'audit event',
    '',
    'note',
  ];
  const rows = results.map((result) => [
    result.vendor,
    result.flow,
    result.title,
    decisionText(result.expected.decision, result.expected.failed),
    decisionText(result.decision, result.failed),
    stoppedText(result),
    result.code,
    result.auditEventId ? result.auditEventId.slice(-8) : '-',
    result.pass ? 'ok' : 'UNEXPECTED',
    result.note ?? '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const passed = results.filter((result) => result.pass).length;
  return [
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `${passed}/${results.length} scenarios as expected${passed === results.length ? '' : ` — ${results.length - passed} UNEXPECTED`}`,
    '(audit event: last 8 characters of the AGBAC audit event id; --json prints them whole; N/A: not run, see its note)',
  ].join('\n');
}
