import { createHash } from 'node:crypto';
import type { Directory } from './directory.ts';
import type { HumanFixture } from './types.ts';

/** A directory human found by the user name typed at the login page, with their fixture name. */
export interface LoginHuman {
  readonly human: HumanFixture;
  /** The short fixture name (`alice`), Keycloak's `preferred_username`. */
  readonly username: string;
}

/**
 * The directory human a login-page user name designates: the fixture name (`alice`) or the email
 * address, case-insensitive; `undefined` for anyone else.
 */
export function findLoginHuman(directory: Directory, typed: string): LoginHuman | undefined {
  const wanted = typed.trim().toLowerCase();
  if (wanted === '') return undefined;
  const index = directory.fixture.humans.findIndex(
    (human) => human.id.toLowerCase() === wanted || human.email.toLowerCase() === wanted,
  );
  const human = directory.humans[index];
  const fixtureHuman = directory.fixture.humans[index];
  return human && fixtureHuman ? { human, username: fixtureHuman.id } : undefined;
}

/** The login-page user name of a human known by their vendor-shaped id. */
export function loginUsername(directory: Directory, userId: string): string | undefined {
  const index = directory.humans.findIndex((human) => human.id === userId);
  return directory.fixture.humans[index]?.id;
}

/**
 * Entra ID's `sub`: pairwise, a per-application identifier (here a base64url SHA-256 of tenant,
 * application and object id, as long as Entra's), while `oid` is the user's object id.
 */
export function entraPairwiseSubject(tenantId: string, clientId: string, objectId: string): string {
  return createHash('sha256').update(`${tenantId}:${clientId}:${objectId}`).digest('base64url');
}

/**
 * The ID-token / userinfo claims a vendor issues for a signed-in human (`sub`, `email`, `name`
 * and the vendor's extras), before oidc-provider keeps those of the granted scopes.
 */
export function humanIdTokenClaims(directory: Directory, human: HumanFixture): Record<string, unknown> {
  const { vendor, fixture } = directory;
  const base = { email: human.email, email_verified: true, name: human.name };
  switch (vendor) {
    case 'keycloak':
      return {
        sub: human.id,
        preferred_username: loginUsername(directory, human.id) ?? human.email,
        ...base,
      };
    case 'auth0':
      return { sub: human.id, nickname: human.email.split('@')[0], ...base };
    case 'okta':
      return { sub: human.id, preferred_username: human.email, ...base };
    case 'entraid':
      return {
        // Made pairwise by oidc-provider (the client's subject_type), see entraPairwiseSubject.
        sub: human.id,
        oid: human.id,
        tid: fixture.entraTenantId,
        preferred_username: human.email,
        email: human.email,
        name: human.name,
      };
  }
}
