import * as v from 'valibot';
import { describeIssues } from './internal/describe-issues.ts';

/**
 * Longest `act.sub` accepted: IAM identifiers are far shorter; anything longer is an attack or a bug.
 *
 * @example
 * ```ts
 * if (userId.length > MAXIMUM_SUBJECT_LENGTH) throw new TypeError('user id too long');
 * ```
 */
export const MAXIMUM_SUBJECT_LENGTH = 255;

// Printable text without control characters: identifiers end up in headers, logs and audit events.
const printable = /^[^\p{Cc}]*$/u;

const identifier = (maximum: number) =>
  v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(maximum), v.regex(printable));

/**
 * The human an agent acts for, as carried in AGBAC's `act` claim. `sub` is the human's IAM user id
 * (Keycloak user UUID, Auth0 `auth0|…`, Okta `00u…`, Entra `oid`): stable and pseudonymous.
 * `email` and `name` are for display only; they never reach logs or audit events, and go on the
 * wire only when `DUAL_AUTH_ACT_DISPLAY_CLAIMS` lists them (see `discloseAct`).
 *
 * @example
 * ```ts
 * const act: Act = { sub: '3f0c…-user-uuid', email: 'alice@example.com', name: 'Alice Smith' };
 * ```
 */
export interface Act {
  /** The human's IAM user id. */
  readonly sub: string;
  /** The human's email, for display. */
  readonly email?: string;
  /** The human's display name. */
  readonly name?: string;
  /** The human's Entra ID object id, when the IdP is Entra ID. */
  readonly oid?: string;
}

/**
 * valibot schema of an {@link Act}: `sub` required, every field a bounded printable string. Unknown
 * members are dropped, so nothing unexpected rides along in `act`.
 *
 * @example
 * ```ts
 * const act = v.parse(actSchema, untrustedPayload.act);
 * ```
 */
export const actSchema = v.object({
  sub: identifier(MAXIMUM_SUBJECT_LENGTH),
  email: v.optional(v.pipe(identifier(320), v.email())),
  name: v.optional(identifier(256)),
  oid: v.optional(identifier(64)),
});

declare const checkedActBrand: unique symbol;

/**
 * An {@link Act} that {@link parseAct} produced: validated once at the edge where it arrived (a
 * session, an act JWT, a token), frozen, and passed on as it is. Handing it to `parseAct` again
 * (a token request, an adapter, an act-assertion signer) returns it without validating it twice.
 *
 * @example
 * ```ts
 * const act: CheckedAct = sender.extractActFromSession(userSession);
 * await tokenRequest.requestToken({ agentId: 'finance-agent', act }); // not re-validated downstream
 * ```
 */
export type CheckedAct = Act & { readonly [checkedActBrand]: true };

// The acts this module produced. They are frozen and hold only strings, so one that is here is
// exactly as it was validated: recognizing it is enough.
const checkedActs = new WeakSet<object>();

/**
 * Parses untrusted input into a {@link CheckedAct}, or returns the problems as text naming the
 * field. An act this function already produced is returned as it is.
 *
 * @example
 * ```ts
 * const result = parseAct(claims.act);
 * if (!result.ok) throw new ActVerificationError('act_invalid', `act claim ${result.problem}`);
 * ```
 */
export function parseAct(input: unknown): { ok: true; act: CheckedAct } | { ok: false; problem: string } {
  if (typeof input === 'object' && input !== null && checkedActs.has(input)) {
    return { ok: true, act: input as CheckedAct };
  }
  const result = v.safeParse(actSchema, input);
  if (!result.success) return { ok: false, problem: describeIssues(result.issues) };
  const act = Object.freeze(stripUndefined(result.output));
  checkedActs.add(act);
  return { ok: true, act: act as CheckedAct };
}

function stripUndefined(act: v.InferOutput<typeof actSchema>): Act {
  // Runs on every token request, cache hits included: a plain loop, no intermediate arrays.
  const stripped: Record<string, unknown> = {};
  for (const key in act) {
    const value = act[key as keyof typeof act];
    if (value !== undefined) stripped[key] = value;
  }
  return stripped as unknown as Act;
}
