import type { HumanCheck, SubjectVerdict } from '../decision.ts';
import type { Layout } from './layout.ts';

/** Which human checks a verifier is configured with; at least one, or it is not built. */
export interface HumanPolicy {
  readonly authorizer: boolean;
  readonly idp: boolean;
}

/** The construction error when no human check is configured. */
export const NO_HUMAN_POLICY_MESSAGE =
  'no human policy: set humanAuthorizer, or humanRolesClaim (and require humanRoles per route), or ' +
  'humanAuthorizedByIdp: true (layouts agbac and rfc8693 only, when the IdP authorized the human before ' +
  'issuing the token); a human who is present is never authorized by being present';

/** The construction error for the opt-in in the hybrid layout. */
export const HYBRID_IDP_MESSAGE =
  'humanAuthorizedByIdp is not allowed with layout hybrid: the IdP never sees the human in the hybrid ' +
  'layout (the application attests it in the act assertion); check the human with humanAuthorizer or ' +
  'humanRolesClaim';

/**
 * The human policy of a verifier's options. Throws a `TypeError` when nothing would check the
 * human, or when the IdP is trusted for a human it never saw (hybrid).
 */
export function resolveHumanPolicy(options: {
  readonly layout: Layout;
  readonly humanAuthorizer?: unknown;
  readonly humanRolesClaim?: unknown;
  readonly humanAuthorizedByIdp?: unknown;
}): HumanPolicy {
  const { humanAuthorizer, humanRolesClaim, humanAuthorizedByIdp } = options;
  if (humanAuthorizedByIdp !== undefined && typeof humanAuthorizedByIdp !== 'boolean')
    throw new TypeError('humanAuthorizedByIdp must be true or false');
  if (humanRolesClaim !== undefined && (typeof humanRolesClaim !== 'string' || humanRolesClaim === ''))
    throw new TypeError('humanRolesClaim must be a claim name');
  const idp = humanAuthorizedByIdp === true;
  if (idp && options.layout === 'hybrid') throw new TypeError(HYBRID_IDP_MESSAGE);
  const authorizer = humanAuthorizer !== undefined;
  if (!authorizer && humanRolesClaim === undefined && !idp) throw new TypeError(NO_HUMAN_POLICY_MESSAGE);
  return { authorizer, idp };
}

/**
 * The check that decides the human of one request: required roles, else the human authorizer,
 * else the IdP's word; `undefined` when none applies.
 */
export function humanCheckFor(
  policy: HumanPolicy,
  requiredRoles: readonly string[] | undefined,
): HumanCheck | undefined {
  if (requiredRoles !== undefined && requiredRoles.length > 0) return 'roles';
  if (policy.authorizer) return 'authorizer';
  return policy.idp ? 'idp' : undefined;
}

/** The human verdict when no check applies: a denial (`human_unchecked`), never "authorized". */
export const humanUnchecked: SubjectVerdict = Object.freeze({
  ok: false,
  reason:
    'no human policy applies to this request (no humanAuthorizer, no required humanRoles, ' +
    'humanAuthorizedByIdp not set)',
});

const authorizedBy: Readonly<Record<HumanCheck, SubjectVerdict>> = Object.freeze({
  authorizer: Object.freeze({ ok: true, reason: 'authorized', checkedBy: 'authorizer' }),
  roles: Object.freeze({ ok: true, reason: 'authorized', checkedBy: 'roles' }),
  idp: Object.freeze({ ok: true, reason: 'authorized by the IdP (humanAuthorizedByIdp)', checkedBy: 'idp' }),
});

/** The human verdict of an allowed check. */
export function humanAuthorized(check: HumanCheck): SubjectVerdict {
  return authorizedBy[check];
}

/** The human verdict of a failed check, naming the check that refused. */
export function humanRefused(check: HumanCheck, reason: string): SubjectVerdict {
  return { ok: false, reason, checkedBy: check };
}
