import {
  ACT_JWT_LIFETIME_SECONDS,
  type ActAssertionInput,
  accessTokenHash,
  type Clock,
  MAXIMUM_ACCESS_TOKEN_LENGTH,
} from '@dual-auth/core';
import type { ActAssertionSignerOptions } from '../hybrid-sender-options.ts';
import { checkAct, checkDelegation, checkText, checkTtl } from './act-claim-checks.ts';
import type { ActClaimFields } from './sign-act-claims.ts';

/** The checked options of one act assertion signer. */
export interface ActAssertionSignerSettings {
  readonly pinnedAudience: string | undefined;
  readonly ttlSeconds: number;
}

/** Checks the options of `createActAssertionSigner`; a `TypeError` on bad input. */
export function resolveActAssertionSignerOptions(
  options: ActAssertionSignerOptions,
): ActAssertionSignerSettings {
  const method = 'createActAssertionSigner';
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${method}: options must be an object`);
  const pinnedAudience = options.audience;
  if (pinnedAudience !== undefined) checkText(pinnedAudience, `${method}: audience`);
  const ttlSeconds = checkTtl(options.ttlSeconds ?? ACT_JWT_LIFETIME_SECONDS.maximum, method);
  return { pinnedAudience, ttlSeconds };
}

/** The checked claims of one act assertion, bound to the input's agent and access token. */
export async function actAssertionFields(
  input: ActAssertionInput,
  { pinnedAudience, ttlSeconds }: ActAssertionSignerSettings,
  clock: Clock,
): Promise<ActClaimFields> {
  const signer = 'signActAssertion';
  if (typeof input !== 'object' || input === null) throw new TypeError(`${signer}: input must be an object`);
  const { accessToken, agentId, audience } = input;
  if (
    typeof accessToken !== 'string' ||
    accessToken === '' ||
    accessToken.length > MAXIMUM_ACCESS_TOKEN_LENGTH
  ) {
    throw new TypeError(
      `${signer}: accessToken must be a non-empty string of at most ${MAXIMUM_ACCESS_TOKEN_LENGTH} characters`,
    );
  }
  checkText(agentId, `${signer}: agentId`);
  checkText(audience, `${signer}: audience`);
  if (pinnedAudience !== undefined && audience !== pinnedAudience) {
    throw new TypeError(`${signer}: audience is not the API this signer was created for`);
  }
  const act = checkAct(input.act, signer);
  if (input.delegation === undefined) throw new TypeError(`${signer}: delegation is required`);
  const delegation = checkDelegation(input.delegation, signer, clock);
  const binding = { client_id: agentId, ath: await accessTokenHash(accessToken) };
  return { act, aud: audience, ttlSeconds, delegation, binding };
}
