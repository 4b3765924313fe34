/** The `aud` claim as a list (a string, an array of strings, or missing). */
export function audiencesOf(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((item): item is string => typeof item === 'string') : [];
}

function expectedText(expected: string | readonly string[]): string {
  return typeof expected === 'string' ? expected : expected.join(' or ');
}

/**
 * The token's `aud` beside the expected one, e.g. "the token's aud is https://a, API_AUDIENCE is
 * https://b": what doctor and verify say when the audience is refused.
 */
export function audienceMismatch(
  aud: unknown,
  expected: string | readonly string[],
  expectedName: string,
): string {
  const audiences = audiencesOf(aud);
  return `the token's aud is ${audiences.join(', ') || 'missing'}, ${expectedName} is ${expectedText(expected)}`;
}

/** The token's `iss` beside the expected one (exact strings: a trailing slash matters). */
export function issuerMismatch(
  iss: unknown,
  expected: string | readonly string[],
  expectedName: string,
): string {
  return `the token's iss is ${typeof iss === 'string' ? iss : 'missing'}, ${expectedName} is ${expectedText(expected)}`;
}
