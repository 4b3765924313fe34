/** A fault `doctor` can name, with a stable code for `--json`. */
export type DoctorFault =
  | 'config_invalid'
  | 'secrets_backend'
  | 'package_missing'
  | 'token_url_shape'
  | 'url_unreachable'
  | 'discovery_mismatch'
  | 'jwks_invalid'
  | 'app_key'
  | 'wrong_credentials'
  | 'agent_not_approved'
  | 'human_not_approved'
  | 'wrong_audience'
  | 'bad_scope'
  | 'idp_unavailable'
  | 'token_invalid'
  | 'act_mapper_missing'
  | 'auth0_action_missing'
  | 'human_missing'
  | 'act_assertion_invalid'
  | 'verifier_denied'
  | 'human_unchecked'
  | 'human_policy_missing'
  | 'human_policy_invalid'
  | 'no_test_human'
  | 'no_subject_token'
  | 'subject_token_invalid';

/** One line of doctor's checklist, as printed and as `--json` lists it. */
export interface CheckLine {
  readonly id: string;
  readonly title: string;
  readonly status: 'pass' | 'warn' | 'fail' | 'skip';
  readonly detail: string;
  readonly fault?: DoctorFault;
  readonly fix?: string;
}

/** How a check that could not run is shown: a skip line, or a failure (an input that is missing). */
export type NotRunReport =
  | { readonly status: 'skip'; readonly detail: string; readonly fix?: string }
  | { readonly status: 'fail'; readonly fault: DoctorFault; readonly detail: string; readonly fix: string };

/**
 * What a check found, and the facts it hands to the checks after it. `silent` is a check with
 * nothing to say: not configured, or a step whose success the next check reports. A failure or a
 * skip may still provide a fact that does not depend on what failed (a key the mode does not use).
 */
export type CheckOutcome<Facts> =
  | { readonly status: 'pass'; readonly detail: string; readonly provides?: Partial<Facts> }
  | {
      readonly status: 'warn';
      readonly detail: string;
      readonly fix?: string;
      readonly provides?: Partial<Facts>;
    }
  | {
      readonly status: 'fail';
      readonly fault: DoctorFault;
      readonly detail: string;
      readonly fix: string;
      readonly provides?: Partial<Facts>;
    }
  | {
      readonly status: 'skip';
      readonly detail: string;
      readonly fix?: string;
      readonly provides?: Partial<Facts>;
    }
  | { readonly status: 'silent'; readonly provides?: Partial<Facts> };

/** The facts a check runs with: every one it needs, and whatever else earlier checks found. */
export type FactsFor<Facts, Need extends keyof Facts> = Readonly<Pick<Facts, Need>> &
  Readonly<Partial<Facts>>;

/**
 * One of doctor's checks: what it needs (facts from earlier checks or the command line), what it
 * provides, and how it is shown when a need is missing.
 *
 * @example
 * const jwksCheck: DoctorCheck<{ discovery: { jwksUri: string }; jwks: object }, 'discovery'> = {
 *   id: 'jwks',
 *   title: 'JWKS',
 *   needs: ['discovery'],
 *   provides: ['jwks'],
 *   run: async ({ discovery }) => ({ status: 'pass', detail: discovery.jwksUri, provides: { jwks: {} } }),
 * };
 */
export interface DoctorCheck<Facts, Need extends keyof Facts = keyof Facts, Input = unknown> {
  readonly id: string;
  /** A function when the title names a fact (the vendor); it gets what is known so far. */
  readonly title: string | ((facts: Readonly<Partial<Facts>>) => string);
  /** In order: the first one missing is the one a not-run check names. */
  readonly needs: readonly Need[];
  readonly provides: readonly (keyof Facts)[];
  readonly run: (facts: FactsFor<Facts, Need>, input: Input) => Promise<CheckOutcome<Facts>>;
  /** The line for a check whose `need` is missing; none (the default) when an earlier line says it all. */
  readonly whenNotRun?: (need: keyof Facts) => NotRunReport | undefined;
}

/** The message of anything thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
