/**
 * What each exit status of the `dual-auth` command means. Scripts branch on these numbers; they
 * never change meaning between versions.
 *
 * | code | name | when |
 * |---|---|---|
 * | 0 | `ok` | keys written, token decoded, verify ALLOW, doctor: every check passed, idp stopped cleanly |
 * | 1 | `denied` | verify: DENY by policy (`agent_denied`, `human_denied`, `human_unchecked`, `delegation_invalid`); doctor: a check failed or no test human |
 * | 2 | `usage` | unknown command or option, missing or malformed argument |
 * | 3 | `input` | the token is not a decodable JWT, a file cannot be read, keygen would overwrite a file |
 * | 4 | `tokenInvalid` | verify: the token (or act assertion) is invalid (`token_invalid`, HTTP 401) |
 * | 5 | `unavailable` | verify: `idp_unavailable` (HTTP 503), or discovery/JWKS cannot be fetched |
 * | 70 | `internal` | a bug: an unexpected exception (reported on stderr) |
 *
 * @example
 * ```ts
 * const status = await runCli(['verify', token, '--vendor', 'keycloak', '--issuer', issuer, '--audience', api]);
 * if (status === exitCodes.denied) console.log('a subject was refused');
 * ```
 */
export const exitCodes = Object.freeze({
  ok: 0,
  denied: 1,
  usage: 2,
  input: 3,
  tokenInvalid: 4,
  unavailable: 5,
  internal: 70,
} as const);

/**
 * One of the {@link exitCodes} values.
 *
 * @example
 * ```ts
 * const status: ExitCode = exitCodes.ok;
 * ```
 */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
