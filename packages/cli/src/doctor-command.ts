import { type ExitCode, exitCodes } from './exit-codes.ts';
import { environmentWithEnvFile } from './internal/app-config.ts';
import {
  type Command,
  type CommandContext,
  parseCommandArgs,
  trustCaFile,
  writeJson,
} from './internal/command-context.ts';
import type { CheckLine } from './internal/doctor/doctor-check.ts';
import { doctorChecks } from './internal/doctor/doctor-checks.ts';
import { doctorHumanPolicyValues } from './internal/doctor/human-policy-check.ts';
import { runDoctorChecks } from './internal/doctor/run-doctor-checks.ts';
import { humanPolicyOptions } from './internal/human-policy.ts';

const help = `Usage: dual-auth doctor --human ID [human policy] [--subject-token-file FILE] [--dotenv FILE] [--vendor V] [--secrets-backend B] [--save-token FILE] [--json]

Checks an agent's dual-auth setup end to end, loading the configuration exactly as the application
does (getConfig(): DUAL_AUTH_VENDOR, DUAL_AUTH_SECRETS_BACKEND and every setting, through the
configured secrets backend), then:
  1. configuration loads             6. adapter accepts it; the human policy (how the API checks the human)
  2. discovery matches the token URL 7. a token for the test human (the vendor adapter, as the agent)
  3. JWKS has signing keys           8. token signature, issuer, audience; the human where the mode puts it
  4. API_URL and AGENT_ENDPOINT      9. the verifier (as the API would, with that human policy) allows it
     answer HTTP (when set)
  5. application key (hybrid mode, or APP_PRIVATE_KEY_PATH)
Each failed check names the fault and the fix.

Options:
  --human ID             IAM user id of an approved test human (or DUAL_AUTH_DOCTOR_HUMAN); without it
                         steps 7-9 cannot run, and doctor fails saying so (no_test_human)
  --subject-token-file FILE
                         DUAL_AUTH_MODE=exchange: a file holding an access token of the test human for
                         this agent (the subject token, never printed); without it doctor says what
                         the vendor's exchange needs and fails steps 7-9 as not checked (no_subject_token)
  --dotenv FILE          read settings from a .env file (over the environment)
  --vendor V             override DUAL_AUTH_VENDOR
  --secrets-backend B    override DUAL_AUTH_SECRETS_BACKEND
  --save-token FILE      write the token it gets (hybrid: also FILE.act-assertion), mode 0600, for
                         "dual-auth inspect" and "dual-auth verify --from-config"
  --ca-file FILE         trust this PEM CA too (or set NODE_EXTRA_CA_CERTS)
                         (NODE_EXTRA_CA_CERTS only, before Node.js 24.5: exit 2)
  --json                 {ok, checks:[{id, status, title, detail, fault, fix}]}
  -h, --help             this help
Human policy (as the API checks the human; hybrid mode fails without one, agbac warns and trusts the IdP):
  --humans FILE          the API's human authorizer: JSON map of IAM user id -> {"roles": [...],
                         "agents": [...] | "*"} (or DUAL_AUTH_DOCTOR_HUMANS)
  --human-role R         roles the human must hold, repeatable (or DUAL_AUTH_DOCTOR_HUMAN_ROLES, space separated)
  --human-roles-claim C  claim in the human's object listing the human's roles
  --human-authorized-by-idp  trust the IdP's check of the human (agbac only; or
                         DUAL_AUTH_DOCTOR_HUMAN_AUTHORIZED_BY_IDP=true)

Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 bad usage, 3 unreadable file.`;

function renderLine(line: CheckLine, context: CommandContext): string {
  const { style } = context;
  const mark = { pass: style.ok('✔'), warn: style.warn('!'), fail: style.fail('✘'), skip: style.dim('-') }[
    line.status
  ];
  const lines = [`${mark} ${line.title}: ${line.status === 'skip' ? style.dim(line.detail) : line.detail}`];
  if (line.fault !== undefined) lines.push(`    ${style.fail('fault')} ${line.fault}`);
  if (line.fix !== undefined) lines.push(`    ${style.bold('fix')}   ${line.fix}`);
  return `${lines.join('\n')}\n`;
}

/** The last line: OK, not fully checked (only the test human is missing), or problems. */
function verdict(lines: readonly CheckLine[], context: CommandContext): string {
  const counts = (status: CheckLine['status']) => lines.filter((line) => line.status === status).length;
  const summary = `${counts('pass')} passed, ${counts('warn')} warnings, ${counts('fail')} failed, ${counts('skip')} skipped`;
  const failures = lines.filter((line) => line.status === 'fail');
  if (failures.length === 0) return context.style.ok(`Setup OK (${summary})`);
  if (failures.every((line) => line.fault === 'no_test_human'))
    return context.style.fail(`Setup not fully checked (${summary}): give a test human with --human`);
  if (failures.every((line) => line.fault === 'no_test_human' || line.fault === 'no_subject_token'))
    return context.style.fail(
      `Setup not fully checked (${summary}): exchange mode needs the human's token, --subject-token-file`,
    );
  return context.style.fail(`Setup has problems (${summary})`);
}

async function run(argv: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { values } = parseCommandArgs(
    argv,
    {
      human: { type: 'string' },
      dotenv: { type: 'string' },
      vendor: { type: 'string' },
      'secrets-backend': { type: 'string' },
      'save-token': { type: 'string' },
      'subject-token-file': { type: 'string' },
      ...humanPolicyOptions,
    },
    false,
  );
  if (values.help) {
    context.out.write(`${help}\n`);
    return exitCodes.ok;
  }
  await trustCaFile(context, values['ca-file']);
  const environment = await environmentWithEnvFile(context, values.dotenv);
  const testHuman = values.human ?? (environment.DUAL_AUTH_DOCTOR_HUMAN || undefined);
  const { lines } = await runDoctorChecks(
    doctorChecks,
    testHuman === undefined ? {} : { testHuman },
    {
      context,
      environment,
      overrides: { vendor: values.vendor, secretsBackend: values['secrets-backend'] },
      humanPolicy: doctorHumanPolicyValues(values, environment),
      saveToken: values['save-token'],
      subjectTokenFile: values['subject-token-file'],
    },
    // Printed as each check completes, so a slow IdP shows where doctor is.
    values.json ? undefined : (line) => context.out.write(renderLine(line, context)),
  );
  const ok = lines.every((line) => line.status !== 'fail');
  if (values.json) writeJson(context, { ok, checks: lines });
  else context.out.write(`\n${verdict(lines, context)}\n`);
  return ok ? exitCodes.ok : exitCodes.denied;
}

/** `dual-auth doctor`. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the IAM setup end to end, as the application loads it, and name each fault with its fix',
  help,
  run,
};
