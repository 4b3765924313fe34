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
