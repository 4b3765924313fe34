import type { Vendor } from '@dual-auth/core';
import type { HybridOptions, Layout, VerifyRequirements } from '@dual-auth/verifier';
import { type ExitCode, exitCodes } from './exit-codes.ts';
import { readTokenArgument } from './inspect-command.ts';
import { CliExit, type Command, type CommandContext, trustCaFile } from './internal/command-context.ts';
import { normalizeTokenInput } from './internal/describe-token.ts';
import { readHumanPolicy } from './internal/human-policy.ts';
import { decisionHint, writeDecision } from './internal/verify/decision-output.ts';
import { settingsFromConfig } from './internal/verify/settings-from-config.ts';
import {
  hybridOptions,
  resolveJwksUri,
  verifierFromArguments,
} from './internal/verify/verifier-from-arguments.ts';
import {
  checkVerifyUsage,
  defaultLayouts,
  parseVerifyArguments,
} from './internal/verify/verify-arguments.ts';
import { readFileArgument } from './internal/verify/verify-file-arguments.ts';
import { verifyHelp } from './internal/verify/verify-help.ts';
import type { ExpectedClaims } from './internal/verify-hints.ts';

async function run(argv: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseVerifyArguments(argv);
  if (values.help) {
    context.out.write(`${verifyHelp}\n`);
    return exitCodes.ok;
  }
  checkVerifyUsage(values, positionals);
  await trustCaFile(context, values['ca-file']);
  const token = await readTokenArgument(context, positionals[0]);
  const configured = values['from-config'] ? await settingsFromConfig(context, values, token) : undefined;

  const vendor = (configured?.vendor ?? values.vendor) as Vendor;
  const issuer = values.issuer ?? (configured?.issuer as string);
  const audience = values.audience ?? configured?.audience;
  if (audience === undefined)
    throw new CliExit(exitCodes.usage, '--audience is required (API_AUDIENCE is not set)');
  const layout = (values.layout ?? configured?.layout ?? defaultLayouts[vendor]) as Layout;
  const humanClaim =
    values['human-claim'] ??
    configured?.humanClaim ??
    (vendor === 'auth0' && layout === 'agbac' ? 'https://dual-auth.dev/act' : 'act');
  const humanPolicy = await readHumanPolicy(context, values, layout);
  let actAssertion: string | undefined;
  if (values['act-assertion'] !== undefined) {
    const raw = values['act-assertion'];
    actAssertion = normalizeTokenInput(
      raw.startsWith('@') ? await readFileArgument(context, raw.slice(1), '--act-assertion') : raw,
    );
  }
  const hybrid: HybridOptions | undefined =
    layout === 'hybrid' ? await hybridOptions(context, values, configured) : undefined;
  const jwksUri = await resolveJwksUri(
    issuer,
    values['jwks-uri'] ?? (values.issuer === undefined ? configured?.jwksUri : undefined),
    token,
  );
  const verifier = verifierFromArguments(values, {
    issuer,
    audience,
    jwksUri,
    vendor,
    layout,
    humanClaim,
    allowInsecureLoopback: values['allow-insecure-loopback'] ?? configured?.allowInsecureLoopback ?? false,
    humanPolicy,
    hybrid,
    // The configured agent is the one that exchanges users' tokens: the API's on-behalf-of agent.
    onBehalfOfAgents:
      values['on-behalf-of-agent'] ??
      (layout === 'rfc8693' && configured !== undefined ? [configured.agentClientId] : undefined),
  });
  const requirements: VerifyRequirements = {
    ...(values['agent-role'] === undefined ? {} : { agentRoles: values['agent-role'] }),
    ...(values['agent-scope'] === undefined ? {} : { agentScopes: values['agent-scope'] }),
    ...(humanPolicy.humanRoles === undefined ? {} : { humanRoles: humanPolicy.humanRoles }),
    action: 'verify',
    resource: 'dual-auth-cli',
  };
  const decision = await verifier.verify(
    { authorization: `Bearer ${token}`, actAssertion, method: 'GET', path: '/' },
    requirements,
  );
  const appId = hybrid?.issuer as string | undefined;
  const expected: ExpectedClaims = {
    issuer: { value: issuer, name: values.issuer === undefined ? 'the discovery issuer' : '--issuer' },
    audience: { value: audience, name: values.audience === undefined ? 'API_AUDIENCE' : '--audience' },
    appId:
      appId === undefined
        ? undefined
        : { value: appId, name: values['app-id'] === undefined ? 'APP_ID' : '--app-id' },
  };
  const hint = decisionHint(decision, token, actAssertion, expected, vendor);
  return writeDecision(context, decision, { json: values.json, layout, hint });
}

/** `dual-auth verify`. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'run the verifier on a token and explain, per subject, why it is allowed or denied',
  help: verifyHelp,
  run,
};
