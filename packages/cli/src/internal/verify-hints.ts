import { decodeUnverifiedJws } from '@dual-auth/core/jose';
import type { Decision } from '@dual-auth/verifier';
import { exitCodes } from '../exit-codes.ts';
import { audienceMismatch, issuerMismatch } from './claim-mismatch.ts';
import { CliExit } from './command-context.ts';
import { FetchJsonError } from './fetch-json.ts';
import { networkFailureFixes } from './network-failure.ts';

/** The claims of a token, decoded only (for messages); `{}` when it does not decode. */
function claimsOf(token: string | undefined): Record<string, unknown> {
  if (token === undefined) return {};
  const decoded = decodeUnverifiedJws(token);
  return decoded.ok ? { ...decoded.payload } : {};
}

/**
 * The exit for a discovery document that could not be read, with the fix for that failure: trust
 * the CA for a TLS failure, a probably wrong issuer for a 404 (naming the URL tried and the token's
 * own iss), the network for a refused or unresolvable host.
 */
export function discoveryFailure(
  error: unknown,
  discoveryUrl: string,
  origin: { readonly what: string; readonly value: string; readonly token: string },
): CliExit {
  const message = (error as Error).message;
  if (error instanceof FetchJsonError && error.failure !== undefined && error.failure !== 'other') {
    return new CliExit(exitCodes.unavailable, `${message}: ${networkFailureFixes[error.failure]}`);
  }
  if (error instanceof FetchJsonError && (error.status === 404 || error.status === 410)) {
    const iss = claimsOf(origin.token).iss;
    const tokenIssuer = typeof iss === 'string' && iss !== origin.value ? `; the token's iss is ${iss}` : '';
    return new CliExit(
      exitCodes.unavailable,
      `no discovery document at ${discoveryUrl} (HTTP ${error.status}): ${origin.what} ${origin.value} is probably wrong${tokenIssuer}; correct it, or pass --jwks-uri if this IdP publishes no discovery document`,
    );
  }
  return new CliExit(exitCodes.unavailable, `${message} (tried ${discoveryUrl}); pass --jwks-uri`);
}

/** What verify expected, and under which name (an option or a setting), for refusal messages. */
export interface ExpectedClaims {
  readonly issuer: { readonly value: string; readonly name: string };
  readonly audience: { readonly value: string; readonly name: string };
  readonly appId: { readonly value: string; readonly name: string } | undefined;
}

/**
 * For a token refused for its issuer or audience (the access token's or the act assertion's), the
 * token's value beside the expected one; for a token the act mapper marked (`dual_auth_refusal`), its
 * reason; `undefined` for any other decision.
 */
export function claimRefusalHint(
  decision: Decision,
  token: string,
  actAssertion: string | undefined,
  expected: ExpectedClaims,
): string | undefined {
  if (decision.allow || decision.code !== 'token_invalid') return undefined;
  // Keycloak's act mapper refuses a human by issuing the token without act, naming the reason.
  const refusal = claimsOf(token).dual_auth_refusal;
  if (typeof refusal === 'string')
    return `the IdP's act mapper refused the human: dual_auth_refusal "${refusal}"`;
  const refused = /^(access token|act assertion) (issuer|audience) is (?:not accepted|missing)$/.exec(
    decision.reason,
  );
  if (refused === null) return undefined;
  const [, which, claim] = refused;
  const claims = claimsOf(which === 'access token' ? token : actAssertion);
  if (claim === 'audience')
    return audienceMismatch(claims.aud, expected.audience.value, expected.audience.name);
  const issuer = which === 'access token' ? expected.issuer : expected.appId;
  return issuer === undefined ? undefined : issuerMismatch(claims.iss, issuer.value, issuer.name);
}
