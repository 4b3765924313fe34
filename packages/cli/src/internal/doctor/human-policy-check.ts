import { CliExit } from '../command-context.ts';
import {
  type HumanPolicy,
  type HumanPolicyValues,
  humanPolicyFix,
  readHumanPolicy,
} from '../human-policy.ts';
import type { DoctorSetupCheck } from './doctor-facts.ts';

/** The human policy doctor checks the verifier with, and whether the user gave it or doctor assumed it. */
export interface DoctorHumanPolicy {
  readonly policy: HumanPolicy;
  /** agbac without a given policy: the IdP's check is trusted, and doctor says so. */
  readonly assumed: boolean;
}

/**
 * `human-policy`: how the API checks the human. Hybrid with none fails (the IdP never sees the
 * human, so nothing would check it); agbac with none warns, and the verifier check then trusts the
 * IdP's check, as an API with `humanAuthorizedByIdp: true` would. When the adapter refused the
 * configuration the mode is unknown, and the agbac rule applies.
 */
export const humanPolicyCheck: DoctorSetupCheck<'config'> = {
  id: 'human-policy',
  title: 'human policy (how the API checks the human)',
  needs: ['config'],
  provides: ['humanPolicy'],
  async run({ adapterProbe }, { context, humanPolicy: values }) {
    const mode = adapterProbe?.layout ?? 'agbac';
    let policy: HumanPolicy;
    try {
      policy = await readHumanPolicy(context, values, mode);
    } catch (error) {
      if (!(error instanceof CliExit)) throw error;
      return {
        status: 'fail',
        fault: 'human_policy_invalid',
        detail: error.message,
        fix: humanPolicyFix(mode),
      };
    }
    if (policy.given)
      return {
        status: 'pass',
        detail: policy.description,
        provides: { humanPolicy: { policy, assumed: false } },
      };
    if (mode === 'hybrid')
      return {
        status: 'fail',
        fault: 'human_policy_missing',
        detail:
          'none given: in hybrid mode the IdP never sees the human, so without a human authorizer or required roles any human the application names would pass; a human who is present is not authorized',
        fix: humanPolicyFix(mode),
      };
    const trustIdp = await readHumanPolicy(context, { 'human-authorized-by-idp': true }, mode);
    return {
      status: 'warn',
      detail:
        mode === 'rfc8693'
          ? "none given: the verifier step trusts the IdP's check of the human (humanAuthorizedByIdp), which holds only if the IdP's token-exchange policy refuses humans without the role"
          : "none given: the verifier step trusts the IdP's check of the human (humanAuthorizedByIdp), which holds only if the act mapper or Action refuses humans without the role",
      fix: humanPolicyFix(mode),
      provides: { humanPolicy: { policy: trustIdp, assumed: true } },
    };
  },
};

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
