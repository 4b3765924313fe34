import { readFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import {
  createStaticHumanAuthorizer,
  type Decision,
  type HumanAuthorization,
  type Layout,
  type VerifierOptions,
} from '@dual-auth/verifier';
import { exitCodes } from '../exit-codes.ts';
import { CliExit, type CommandContext, resolvePath } from './command-context.ts';

/** The options `verify` and `doctor` take to say how the API checks the human. */
export const humanPolicyOptions = {
  humans: { type: 'string' },
  'human-role': { type: 'string', multiple: true },
  'human-roles-claim': { type: 'string' },
  'human-authorized-by-idp': { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The human policy options as parsed (doctor fills them from its environment settings too). */
export interface HumanPolicyValues {
  readonly humans?: string | undefined;
  readonly 'human-role'?: readonly string[] | undefined;
  readonly 'human-roles-claim'?: string | undefined;
  readonly 'human-authorized-by-idp'?: boolean | undefined;
}

/** How the human is checked, as the verifier takes it; `none` when nothing was given. */
export interface HumanPolicy {
  /** Whether any human check was given; without one no request can authorize the human. */
  readonly given: boolean;
  /** `humanAuthorizer`, `humanRolesClaim` and `humanAuthorizedByIdp` for `createVerifier`. */
  readonly verifierOptions: Pick<
    VerifierOptions,
    'humanAuthorizer' | 'humanRolesClaim' | 'humanAuthorizedByIdp'
  >;
  /** The roles required of the human per request (`--human-role`). */
  readonly humanRoles: readonly string[] | undefined;
  /** One line saying what checks the human, for doctor's checklist. */
  readonly description: string;
}

/** What to give when no human policy was: the options, for the layout at hand. */
export function humanPolicyFix(layout: Layout): string {
  const idp =
    layout === 'hybrid'
      ? ' (--human-authorized-by-idp is not allowed: in the hybrid layout the IdP never sees the human)'
      : ', or --human-authorized-by-idp when the IdP authorized the human before issuing the token (Keycloak with the act mapper, the Auth0 Action)';
  return `give the human policy the API uses: --humans FILE (the API's humanAuthorizer: a JSON map of IAM user id -> {"roles": [...], "agents": [...] | "*"}) with --human-role R${idp}`;
}

async function readHumans(
  context: CommandContext,
  path: string,
): Promise<Record<string, HumanAuthorization>> {
  let text: string;
  try {
    text = await readFile(resolvePath(context, path), 'utf8');
  } catch (error) {
    throw new CliExit(
      exitCodes.input,
      `cannot read --humans ${path}: ${(error as NodeJS.ErrnoException).code}`,
    );
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new TypeError('not an object');
    for (const entry of Object.values(parsed)) {
      if (!Array.isArray((entry as { roles?: unknown })?.roles))
        throw new TypeError('every human needs "roles": [...]');
    }
    return parsed as Record<string, HumanAuthorization>;
  } catch (error) {
    throw new CliExit(
      exitCodes.input,
      `--humans ${path} is not a valid humans map: ${(error as Error).message}`,
    );
  }
}

/**
 * Reads the human policy options for a layout. Refuses (exit 2) `--human-authorized-by-idp` with
 * the hybrid layout, and `--human-role` with nowhere to read the human's roles from. With none of
 * them, the policy is `given: false`: the verifier is then built with a roles claim and no required
 * role, so every request ends `human_unchecked`, which is what such a request would get at an API.
 */
export async function readHumanPolicy(
  context: CommandContext,
  values: HumanPolicyValues,
  layout: Layout,
): Promise<HumanPolicy> {
  const roles = values['human-role']?.filter((role) => role !== '');
  const humanRoles = roles === undefined || roles.length === 0 ? undefined : roles;
  const rolesClaim = values['human-roles-claim'];
  const byIdp = values['human-authorized-by-idp'] === true;
  if (byIdp && layout === 'hybrid') {
    throw new CliExit(
      exitCodes.usage,
      '--human-authorized-by-idp is not allowed with the hybrid layout: the IdP never sees the human (the application attests it in the act assertion); check the human with --humans FILE and --human-role R',
    );
  }
  if (humanRoles !== undefined && values.humans === undefined && rolesClaim === undefined) {
    throw new CliExit(
      exitCodes.usage,
      "--human-role needs the human's roles from somewhere: --humans FILE (the directory map the API's humanAuthorizer holds) or --human-roles-claim C (a claim in the human's object)",
    );
  }
  const humans = values.humans === undefined ? undefined : await readHumans(context, values.humans);
  const given = humans !== undefined || rolesClaim !== undefined || byIdp;
  const parts = [
    humans === undefined
      ? undefined
      : `the humans map ${values.humans} (${Object.keys(humans).length} humans) as the human authorizer`,
    rolesClaim === undefined ? undefined : `roles from the ${rolesClaim} claim`,
    humanRoles === undefined
      ? undefined
      : `required role${humanRoles.length === 1 ? '' : 's'} ${humanRoles.join(', ')}`,
    byIdp ? "the IdP's check of the human (humanAuthorizedByIdp)" : undefined,
  ].filter((part) => part !== undefined);
  return {
    given,
    verifierOptions: {
      ...(humans === undefined ? {} : { humanAuthorizer: createStaticHumanAuthorizer(humans) }),
      // Without any policy the verifier cannot be built; a roles claim with no required role is the
      // weakest policy it accepts, and it decides nothing: the human ends `human_unchecked`.
      ...(rolesClaim !== undefined || !given ? { humanRolesClaim: rolesClaim ?? 'roles' } : {}),
      ...(byIdp ? { humanAuthorizedByIdp: true } : {}),
    },
    humanRoles,
    description: given ? parts.join('; ') : 'none given',
  };
}

/** Whether the human of a decision was authorized by a check, left unchecked, or refused. */
export type HumanStatus = 'authorized' | 'not_checked' | 'denied';

const authorizedBy = {
  authorizer: 'authorized by the human authorizer (--humans)',
  roles: 'authorized: holds the required roles (--human-role)',
  idp: 'authorized by the IdP (trusted, not checked here: --human-authorized-by-idp)',
} as const;

/**
 * The human's status in a decision. "Authorized" only when a check says so: a human who is present
 * but whom nothing checked is `not_checked`, never authorized.
 */
export function humanStatus(decision: Decision): HumanStatus {
  const verdict = decision.subjects.human;
  if (verdict.ok) return verdict.checkedBy === undefined ? 'not_checked' : 'authorized';
  return !decision.allow && decision.code === 'human_unchecked' ? 'not_checked' : 'denied';
}

/** The human's verdict in words: how it was authorized, that it was not checked, or why it was refused. */
export function humanVerdictText(decision: Decision, layout: Layout): string {
  const verdict = decision.subjects.human;
  switch (humanStatus(decision)) {
    case 'authorized':
      return authorizedBy[verdict.checkedBy ?? 'roles'];
    case 'not_checked':
      return `present, not checked: nothing checks the human (give --humans FILE with --human-role R${layout === 'hybrid' ? '' : ', or --human-authorized-by-idp'})`;
    case 'denied':
      return verdict.reason;
  }
}
