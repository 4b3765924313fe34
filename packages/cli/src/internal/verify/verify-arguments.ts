import { isVendor, type Vendor, vendors } from '@dual-auth/core';
import type { Layout } from '@dual-auth/verifier';
import { exitCodes } from '../../exit-codes.ts';
import { CliExit, parseCommandArgs } from '../command-context.ts';
import { humanPolicyOptions } from '../human-policy.ts';

/** The layout of each vendor when neither --layout nor the configuration names one. */
export const defaultLayouts: Record<Vendor, Layout> = {
  keycloak: 'agbac',
  auth0: 'agbac',
  okta: 'hybrid',
  entraid: 'hybrid',
};

/** The command line of `dual-auth verify`, parsed; a usage error for an unknown option. */
export function parseVerifyArguments(argv: readonly string[]) {
  return parseCommandArgs(
    argv,
    {
      vendor: { type: 'string' },
      issuer: { type: 'string' },
      audience: { type: 'string' },
      'jwks-uri': { type: 'string' },
      layout: { type: 'string' },
      'human-claim': { type: 'string' },
      'max-chain-depth': { type: 'string' },
      'on-behalf-of-agent': { type: 'string', multiple: true },
      'act-assertion': { type: 'string' },
      'app-id': { type: 'string' },
      'app-public-key': { type: 'string' },
      'app-jwks-uri': { type: 'string' },
      'agent-role': { type: 'string', multiple: true },
      'agent-scope': { type: 'string', multiple: true },
      ...humanPolicyOptions,
      'require-delegation': { type: 'boolean' },
      'allow-insecure-loopback': { type: 'boolean' },
      'from-config': { type: 'boolean', default: false },
      dotenv: { type: 'string' },
      'secrets-backend': { type: 'string' },
    },
    true,
  );
}

/** The options of `dual-auth verify` as parsed. */
export type VerifyValues = ReturnType<typeof parseVerifyArguments>['values'];

/** Refuses a command line that cannot name a verifier (a missing --vendor, --issuer or --audience). */
export function checkVerifyUsage(values: VerifyValues, positionals: readonly string[]): void {
  if (positionals.length > 1) throw new CliExit(exitCodes.usage, 'verify takes one token');
  if (!values['from-config'] && (values['dotenv'] !== undefined || values['secrets-backend'] !== undefined))
    throw new CliExit(exitCodes.usage, '--dotenv and --secrets-backend go with --from-config');
  if (!values['from-config']) {
    if (values.vendor === undefined || !isVendor(values.vendor))
      throw new CliExit(exitCodes.usage, `--vendor must be one of ${vendors.join(', ')}`);
    if (values.issuer === undefined) throw new CliExit(exitCodes.usage, '--issuer is required');
    if (values.audience === undefined) throw new CliExit(exitCodes.usage, '--audience is required');
  } else if (values.vendor !== undefined && !isVendor(values.vendor)) {
    throw new CliExit(exitCodes.usage, `--vendor must be one of ${vendors.join(', ')}`);
  }
  if (values.layout !== undefined && !['agbac', 'hybrid', 'rfc8693'].includes(values.layout))
    throw new CliExit(exitCodes.usage, '--layout must be agbac, hybrid or rfc8693');
  const depth = values['max-chain-depth'];
  if (depth !== undefined && !/^[1-9][0-9]{0,2}$/.test(depth))
    throw new CliExit(exitCodes.usage, '--max-chain-depth must be a whole number from 1 to 999');
}
