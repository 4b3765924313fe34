import { decodeUnverifiedJws } from '@dual-auth/core/jose';
import type { Decision } from '@dual-auth/verifier';
import { audiencesOf } from './claim-mismatch.ts';

const applicationId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Which value to configure when an Entra ID token's `aud` is not the expected audience. Entra v2.0
 * access tokens always carry the API app's Application (client) ID, a GUID, in `aud`, never the
 * Application ID URI (`api://…`) named in `scope`; v1.0 tokens may carry the URI
 * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference, `aud`).
 * `undefined` when the token has no `aud` to go by.
 */
export function entraAudienceFix(
  aud: unknown,
  expected: string | undefined,
  expectedName: string,
): string | undefined {
  const audiences = audiencesOf(aud);
  const clientId = audiences.find((value) => applicationId.test(value));
  if (clientId !== undefined && (expected === undefined || !applicationId.test(expected))) {
    return `set ${expectedName} to ${clientId}, the API app's Application (client) ID: Entra v2 tokens carry it as aud, never the Application ID URI${expected === undefined ? '' : ` (${expected})`}`;
  }
  if (clientId !== undefined) {
    return `set ${expectedName} to ${clientId}, the Application (client) ID of the API this token is for, or API_SCOPE to {Application ID URI}/.default of the API whose client id is ${expected}`;
  }
  const [uri] = audiences;
  if (uri === undefined) return undefined;
  return `the token's aud ${uri} is not an Application (client) ID, so it is a v1.0 token: set the API app's requestedAccessTokenVersion (manifest accessTokenAcceptedVersion) to 2, then set ${expectedName} to the API app's Application (client) ID`;
}

/**
 * For an Entra ID access token `verify` refused for its audience: {@link entraAudienceFix} for
 * it; `undefined` for any other decision.
 */
export function entraAudienceRefusalFix(
  decision: Decision,
  token: string,
  expected: { readonly value: string; readonly name: string },
): string | undefined {
  if (decision.allow || !/^access token audience is (?:not accepted|missing)$/.test(decision.reason))
    return undefined;
  const decoded = decodeUnverifiedJws(token);
  if (!decoded.ok) return undefined;
  return entraAudienceFix(decoded.payload.aud, expected.value, expected.name);
}
