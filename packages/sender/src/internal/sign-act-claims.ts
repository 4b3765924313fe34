import {
  type ActAssertionClaims,
  type ActDisplayClaim,
  type ActJwtClaims,
  AGBAC_VERSION,
  type CheckedAct,
  type Clock,
  type DelegationClaim,
  discloseAct,
} from '@dual-auth/core';
import { signCompactJws } from '@dual-auth/core/jose';
import type { SigningKey } from './load-signing-key.ts';

/** What differs between an act JWT and an act assertion; the rest of the claims are the sender's. */
export interface ActClaimFields {
  readonly act: CheckedAct;
  readonly aud: string;
  readonly ttlSeconds: number;
  readonly delegation: DelegationClaim;
  /** Act assertions only: the agent and access token they are bound to. */
  readonly binding?: Pick<ActAssertionClaims, 'client_id' | 'ath'>;
}

/** The sender's part of every signature: who signs, with what key, at what time, disclosing what. */
export interface ActSigningContext {
  readonly appId: string;
  readonly signingKey: SigningKey;
  readonly clock: Clock;
  readonly actDisplayClaims: readonly ActDisplayClaim[];
}

/** Signs the claims of an act JWT or act assertion (`type` is the JOSE `typ`) with a fresh `jti`. */
export function signActClaims(
  type: string,
  fields: ActClaimFields,
  { appId, signingKey, clock, actDisplayClaims }: ActSigningContext,
): Promise<string> {
  const now = Math.floor(clock() / 1000);
  const claims: ActJwtClaims | ActAssertionClaims = {
    iss: appId,
    sub: fields.act.sub,
    aud: fields.aud,
    iat: now,
    exp: now + fields.ttlSeconds,
    jti: crypto.randomUUID(),
    ...fields.binding,
    act: discloseAct(fields.act, actDisplayClaims),
    delegation: fields.delegation,
    agbac_ver: AGBAC_VERSION,
  };
  return signCompactJws(
    { alg: signingKey.algorithm, typ: type, kid: signingKey.keyId },
    claims,
    signingKey.sign,
  );
}
