import { type ExitCode, exitCodes } from './exit-codes.ts';
import {
  CliExit,
  type Command,
  type CommandContext,
  parseCommandArgs,
  readStdin,
  writeJson,
} from './internal/command-context.ts';
import {
  describeToken,
  MAXIMUM_INPUT_TOKEN_LENGTH,
  normalizeTokenInput,
  relativeTime,
  type TokenDescription,
} from './internal/describe-token.ts';
import { HIDDEN, hidePersonalData } from './internal/hide-personal-data.ts';

const help = `Usage: dual-auth inspect <token | -> [--show-personal-data] [--json]

Decodes a JWT without verifying it (never trust what it says: use "dual-auth verify" for that) and
names what it is: an access token, an act JWT, an act assertion or an ID token; its delegation
layout (agbac, hybrid, rfc8693, or ambiguous) and why; which IdP it looks like; the agent, the human,
the delegation and the expiry. "-" reads the token from standard input; a "Bearer " prefix is
ignored. IAM ids are shown; personal data (email, name and the other OpenID Connect profile
claims, anywhere in the token) is shown as "(present, hidden)" unless --show-personal-data.

Options:
  --show-personal-data  show the values of email, name and the other personal claims
  --json                the description as JSON (with every claim)
  -h, --help            this help

Exit codes: 0 decoded, 2 bad usage, 3 not a decodable JWT.`;

const kindNames: Record<TokenDescription['kind'], string> = {
  'access-token': 'access token',
  'act-jwt': 'act JWT (out-of-session hand-off)',
  'act-assertion': 'act assertion (hybrid mode, X-Act-Assertion)',
  'id-token': 'ID token',
};

/** Reads the token argument: the text itself, or standard input for "-". */
export async function readTokenArgument(
  context: CommandContext,
  argument: string | undefined,
): Promise<string> {
  if (argument === undefined)
    throw new CliExit(exitCodes.usage, 'a token (or - for standard input) is required');
  const raw = argument === '-' ? await readStdin(context, MAXIMUM_INPUT_TOKEN_LENGTH + 1024) : argument;
  return normalizeTokenInput(raw);
}

function formatTime(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined) return 'not stated';
  // Beyond ±8.64e15 ms a Date is invalid and toISOString throws: a token may say anything.
  const date = new Date(epochSeconds * 1000);
  if (Number.isNaN(date.getTime())) return `${epochSeconds} (out of range)`;
  return `${date.toISOString()} (${relativeTime(epochSeconds)})`;
}

function render(description: TokenDescription, context: CommandContext): string {
  const { style } = context;
  const rows: [string, string][] = [];
  const header = description.header;
  rows.push([
    'Token',
    `${kindNames[description.kind]}, ${header.alg ?? 'no alg'}${header.typ === undefined ? '' : `, typ ${header.typ}`}${header.kid === undefined ? '' : `, kid ${header.kid}`}`,
  ]);
  rows.push(['Layout', `${style.bold(description.layout)}: ${description.layoutReason}`]);
  rows.push([
    'Vendor',
    `${description.vendor === 'unknown' ? 'unknown' : `looks like ${description.vendor}`} (${description.vendorReason})`,
  ]);
  rows.push(['Issuer', description.issuer ?? 'none']);
  rows.push(['Audience', description.audience.length === 0 ? 'none' : description.audience.join(', ')]);
  rows.push([
    'Agent',
    description.agent === undefined ? 'not found' : `${description.agent.id} (${description.agent.claim})`,
  ]);
  const human = description.human;
  rows.push([
    'Human',
    human === undefined
      ? description.layout === 'hybrid' && description.kind === 'access-token'
        ? "not in act (a user's own token names the user in sub; hybrid: see the X-Act-Assertion)"
        : 'not found'
      : `${human.sub}${human.email === undefined ? '' : human.email === HIDDEN ? `, email ${HIDDEN}` : ` <${human.email}>`}${human.name === undefined ? '' : human.name === HIDDEN ? `, name ${HIDDEN}` : ` "${human.name}"`} (${human.claim})`,
  ]);
  if (description.chain.length > 1 || description.layout === 'rfc8693')
    rows.push(['Actor chain', description.chain.join(' ← ')]);
  const delegation = description.delegation;
  rows.push([
    'Delegation',
    delegation === undefined
      ? 'none'
      : [
          typeof delegation.method === 'string' ? delegation.method : 'method?',
          typeof delegation.granted_at === 'number'
            ? `granted ${relativeTime(delegation.granted_at)}`
            : undefined,
          typeof delegation.expires_at === 'number'
            ? `expires ${relativeTime(delegation.expires_at)}`
            : undefined,
          typeof delegation.intent_summary === 'string' ? `intent "${delegation.intent_summary}"` : undefined,
        ]
          .filter((part) => part !== undefined)
          .join(', '),
  ]);
  if (description.agbacVersion !== undefined) rows.push(['AGBAC', `agbac_ver ${description.agbacVersion}`]);
  if (description.scopes.length > 0) rows.push(['Scopes', description.scopes.join(' ')]);
  if (description.roles.length > 0) rows.push(['Agent roles', description.roles.join(', ')]);
  rows.push(['Issued', formatTime(description.issuedAt)]);
  const expiry = formatTime(description.expiresAt);
  rows.push(['Expires', description.expired === true ? style.fail(`${expiry} EXPIRED`) : expiry]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${rows.map(([label, value]) => `${style.dim(label.padEnd(width))}  ${value}`).join('\n')}\n${style.warn(
    'Decoded only, not verified: run "dual-auth verify" to check signature, issuer, audience and policy.',
  )}\n`;
}

async function run(argv: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { 'show-personal-data': { type: 'boolean', default: false } },
    true,
  );
  if (values.help) {
    context.out.write(`${help}\n`);
    return exitCodes.ok;
  }
  if (positionals.length > 1) throw new CliExit(exitCodes.usage, 'inspect takes one token');
  const described = describeToken(await readTokenArgument(context, positionals[0]));
  const description = values['show-personal-data'] ? described : hidePersonalData(described);
  if (values.json) writeJson(context, { verified: false, ...description });
  else context.out.write(render(description, context));
  return exitCodes.ok;
}

/** `dual-auth inspect`. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'decode a token (no verification): layout, vendor, agent, human, delegation, expiry',
  help,
  run,
};
