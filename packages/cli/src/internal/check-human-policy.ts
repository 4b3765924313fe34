import type { CommandContext } from './command-context.ts';
import { CliExit } from './command-context.ts';
import type { Checklist } from './doctor-checklist.ts';
import { type HumanPolicy, type HumanPolicyValues, humanPolicyFix, readHumanPolicy } from './human-policy.ts';

/** The human policy doctor checks the verifier with, and whether the user gave it or doctor assumed it. */
export interface DoctorHumanPolicy {
  readonly policy: HumanPolicy;
  /** agbac without a given policy: the IdP's check is trusted, and doctor says so. */
  readonly assumed: boolean;
}

const title = 'human policy (how the API checks the human)';

/**
 * doctor: how the API checks the human. Hybrid with none fails (the IdP never sees the human, so
 * nothing would check it); agbac with none warns, and the verifier step then trusts the IdP's
 * check, as an API with `humanAuthorizedByIdp: true` would. `undefined` when the check failed.
 */
export async function checkHumanPolicy(
  checks: Checklist,
  context: CommandContext,
  values: HumanPolicyValues,
  mode: 'agbac' | 'hybrid',
): Promise<DoctorHumanPolicy | undefined> {
  let policy: HumanPolicy;
  try {
    policy = await readHumanPolicy(context, values, mode);
  } catch (error) {
    if (!(error instanceof CliExit)) throw error;
    checks.fail('human-policy', title, 'human_policy_invalid', error.message, humanPolicyFix(mode));
    return undefined;
  }
  if (policy.given) {
    checks.pass('human-policy', title, policy.description);
    return { policy, assumed: false };
  }
  if (mode === 'hybrid') {
    checks.fail(
      'human-policy',
      title,
      'human_policy_missing',
      'none given: in hybrid mode the IdP never sees the human, so without a human authorizer or required roles any human the application names would pass; a human who is present is not authorized',
      humanPolicyFix(mode),
    );
    return undefined;
  }
  checks.warn(
    'human-policy',
    title,
    "none given: the verifier step trusts the IdP's check of the human (humanAuthorizedByIdp), which holds only if the act mapper or Action refuses humans without the role",
    humanPolicyFix(mode),
  );
  return {
    policy: await readHumanPolicy(context, { 'human-authorized-by-idp': true }, mode),
    assumed: true,
  };
}

/**
 * doctor's human policy options, each falling back to its environment setting (as `--human` falls
 * back to `DUAL_AUTH_DOCTOR_HUMAN`): `DUAL_AUTH_DOCTOR_HUMANS` (a humans map file),
 * `DUAL_AUTH_DOCTOR_HUMAN_ROLES` (space separated), `DUAL_AUTH_DOCTOR_HUMAN_AUTHORIZED_BY_IDP=true`.
 */
export function doctorHumanPolicyValues(
  values: HumanPolicyValues,
  environment: Readonly<Record<string, string | undefined>>,
): HumanPolicyValues {
  const roles = environment.DUAL_AUTH_DOCTOR_HUMAN_ROLES?.split(/\s+/).filter((role) => role !== '');
  return {
    humans: values.humans ?? (environment.DUAL_AUTH_DOCTOR_HUMANS || undefined),
    'human-role': values['human-role'] ?? (roles?.length ? roles : undefined),
    'human-roles-claim': values['human-roles-claim'],
    'human-authorized-by-idp':
      values['human-authorized-by-idp'] ?? environment.DUAL_AUTH_DOCTOR_HUMAN_AUTHORIZED_BY_IDP === 'true',
  };
}
