import type { TokenDescription } from './describe-token.ts';

/** What a hidden personal claim reads as: it is there, and its value is not shown. */
export const HIDDEN = '(present, hidden)';

/**
 * Claims that name or reach a person (OpenID Connect standard claims, and Entra ID's `upn` and
 * `unique_name`). IAM ids (`sub`, object ids) identify without disclosing and stay visible.
 */
const personalClaims = new Set([
  'email',
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'phone_number',
  'address',
  'birthdate',
  'upn',
  'unique_name',
]);

function hideIn(value: unknown, depth: number): unknown {
  if (depth > 16 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => hideIn(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      personalClaims.has(key) && item !== undefined ? HIDDEN : hideIn(item, depth + 1),
    ]),
  );
}

/**
 * The description with every personal claim's value replaced by {@link HIDDEN}, in the human and in
 * the claims at any depth (`act`, a namespaced act, nested actors, an ID token's own claims).
 */
export function hidePersonalData(description: TokenDescription): TokenDescription {
  const human = description.human;
  return {
    ...description,
    human:
      human === undefined
        ? undefined
        : {
            ...human,
            ...(human.email === undefined ? {} : { email: HIDDEN }),
            ...(human.name === undefined ? {} : { name: HIDDEN }),
          },
    claims: hideIn(description.claims, 0) as TokenDescription['claims'],
  };
}
