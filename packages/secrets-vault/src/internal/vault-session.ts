import { type Clock, Secret } from '@dual-auth/core';

/** The `auth` block of a Vault login or `renew-self` answer. */
export interface VaultAuthAnswer {
  readonly client_token?: unknown;
  readonly lease_duration?: unknown;
  readonly renewable?: unknown;
}

interface Lease {
  readonly token: Secret;
  /** ms since the epoch; `undefined` for a token without expiry. */
  readonly renewAt: number | undefined;
  readonly expiresAt: number | undefined;
  readonly renewable: boolean;
}

/** A token to use, and whether a login obtained it during this call. */
export interface SessionToken {
  readonly token: string;
  readonly fresh: boolean;
}

/** Hands out a valid Vault token: a fixed one, or one from a login kept alive by renewal. */
export interface VaultSession {
  /** Whether a new token can be obtained (AppRole, Kubernetes), unlike a fixed `VAULT_TOKEN`. */
  readonly canLogin: boolean;
  token(): Promise<SessionToken>;
  /** Forgets `token`, so the next call logs in again. */
  invalidate(token: string): void;
}

/** Thrown when the login itself failed, so the caller can say so. */
export class VaultLoginFailure extends Error {
  constructor(cause: unknown) {
    super('Vault login failed', { cause });
    this.name = 'VaultLoginFailure';
  }
}

function leaseFrom(auth: VaultAuthAnswer | undefined, now: number): Lease {
  const token = auth?.client_token;
  const seconds = auth?.lease_duration;
  if (typeof token !== 'string' || token === '' || typeof seconds !== 'number' || seconds < 0)
    throw new TypeError('Vault answered a login without a client token or lease');
  if (seconds === 0)
    return { token: new Secret(token), renewAt: undefined, expiresAt: undefined, renewable: false };
  // Renew at two thirds of the lease, as Vault Agent does; stop trusting the token a little
  // before its end, so a read in flight does not race the expiry.
  return {
    token: new Secret(token),
    renewAt: now + (seconds * 1000 * 2) / 3,
    expiresAt: now + seconds * 1000 * 0.9,
    renewable: auth?.renewable === true,
  };
}

/** Wait after a failed renewal and login before the next attempt, doubling up to the maximum. */
const firstBackoffMs = 1_000;
const maximumBackoffMs = 30_000;

/**
 * The token lifecycle of the Vault backend. A fixed token is used as given. A login token is
 * renewed (`auth/token/renew-self`) once two thirds of its lease have passed, replaced by a new
 * login when renewal fails or the lease is over, and logins and renewals running at the same time
 * are shared. When both fail while the lease is still valid, the lease is kept and the next attempt
 * waits (1 s, doubling up to 30 s). Tokens live only as `Secret`s in this closure.
 */
export function createVaultSession(options: {
  readonly fixedToken?: Secret;
  readonly login: () => Promise<VaultAuthAnswer | undefined>;
  readonly renew: (token: string) => Promise<VaultAuthAnswer | undefined>;
  readonly clock: Clock;
}): VaultSession {
  const { fixedToken, clock } = options;
  let current: Lease | undefined;
  let pending: Promise<Lease> | undefined;
  // After a failed renewal and login, the still-valid lease is used without trying again until
  // `retryAt`: while Vault is down, reads in the renewal window must not each attempt a login.
  let failures = 0;
  let retryAt = Number.NEGATIVE_INFINITY;

  const login = async (): Promise<Lease> => {
    let answer: VaultAuthAnswer | undefined;
    try {
      answer = await options.login();
    } catch (error) {
      throw new VaultLoginFailure(error);
    }
    return leaseFrom(answer, clock());
  };

  const replace = (from: Lease | undefined): Promise<Lease> => {
    pending ??= (async () => {
      if (from?.renewable) {
        try {
          const renewed = leaseFrom(await options.renew(from.token.reveal()), clock());
          // A renewed login token always has a lease; none means it reached its max TTL.
          if (renewed.expiresAt !== undefined) return renewed;
        } catch {
          // A refused or failed renewal is what a new login is for.
        }
      }
      return login();
    })()
      .then(
        (lease) => {
          current = lease;
          failures = 0;
          retryAt = Number.NEGATIVE_INFINITY;
          return lease;
        },
        (error: unknown) => {
          failures++;
          retryAt = clock() + Math.min(maximumBackoffMs, firstBackoffMs * 2 ** (failures - 1));
          throw error;
        },
      )
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  return {
    canLogin: fixedToken === undefined,
    async token(): Promise<SessionToken> {
      if (fixedToken !== undefined) return { token: fixedToken.reveal(), fresh: false };
      const lease = current;
      const now = clock();
      if (lease !== undefined && (lease.expiresAt === undefined || now < lease.expiresAt)) {
        if (lease.renewAt === undefined || now < lease.renewAt || now < retryAt)
          return { token: lease.token.reveal(), fresh: false };
        try {
          return { token: (await replace(lease)).token.reveal(), fresh: false };
        } catch {
          // Renewal and login both failed, but the lease has not ended: keep using it.
          return { token: lease.token.reveal(), fresh: false };
        }
      }
      return { token: (await replace(undefined)).token.reveal(), fresh: true };
    },
    invalidate(token: string): void {
      if (current?.token.reveal() === token) current = undefined;
    },
  };
}
