import { parseAct, REDACTED } from '@dual-auth/core';

/**
 * What a {@link UserSession} is built from: the signed-in human as your application knows them.
 *
 * @example
 * ```ts
 * const init: UserSessionInit = { userId: '8f14e45f-ceea-467f-a0e6-7d1e5c1b8a9d', userEmail: session.email };
 * const user = new UserSession(init);
 * ```
 */
export interface UserSessionInit {
  /** The human's IAM user id (Keycloak user UUID, Auth0 `auth0|…`, Okta `00u…`, Entra `oid`). */
  readonly userId?: string | undefined;
  /** The human's email, for display only. */
  readonly userEmail?: string | undefined;
  /** The human's display name, for display only. */
  readonly userName?: string | undefined;
  /** The human's Entra ID object id. */
  readonly userOid?: string | undefined;
}

const fieldOfActMember: Readonly<Record<string, keyof UserSessionInit>> = {
  sub: 'userId',
  email: 'userEmail',
  name: 'userName',
  oid: 'userOid',
};

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * The authenticated human of a web session, as the seed's `UserSession`: the IAM user id plus
 * display-only email and name. Values are validated and trimmed at construction (a `TypeError`
 * names the bad field, never its value). `JSON.stringify` and `util.inspect` show the ids but
 * redact the email and name, so a logged session leaks no personal data.
 *
 * @example
 * ```ts
 * const userSession = new UserSession({
 *   userId: request.session.user.id,
 *   userEmail: request.session.user.email,
 *   userName: request.session.user.name,
 * });
 * const act = sender.extractActFromSession(userSession);
 * ```
 */
export class UserSession {
  /** The human's IAM user id, when the session has it. */
  readonly userId: string | undefined;
  /** The human's email (display only). */
  readonly userEmail: string | undefined;
  /** The human's display name (display only). */
  readonly userName: string | undefined;
  /** The human's Entra ID object id. */
  readonly userOid: string | undefined;

  constructor(init: UserSessionInit) {
    if (typeof init !== 'object' || init === null) {
      throw new TypeError('UserSession: expected { userId, userEmail?, userName?, userOid? }');
    }
    for (const field of Object.values(fieldOfActMember)) {
      const value = init[field];
      if (value !== undefined && typeof value !== 'string') {
        throw new TypeError(`UserSession: ${field} must be a string`);
      }
    }
    if (init.userId === undefined && init.userEmail === undefined) {
      throw new TypeError('UserSession: userId (the IAM user id) is required');
    }
    // core's act schema is the one definition of a valid subject; a stand-in sub lets it check the
    // display fields of a session that has only an email.
    const result = parseAct({
      sub: init.userId ?? 'email-only-session',
      email: init.userEmail,
      name: init.userName,
      oid: init.userOid,
    });
    if (!result.ok) {
      const [member = '', ...rest] = result.problem.split(':');
      const field = fieldOfActMember[member] ?? member;
      throw new TypeError(`UserSession: ${field}:${rest.join(':')}`);
    }
    const { act } = result;
    this.userId = init.userId === undefined ? undefined : act.sub;
    this.userEmail = act.email;
    this.userName = act.name;
    this.userOid = act.oid;
    Object.freeze(this);
  }

  /** The session with email and name redacted. */
  toJSON(): Record<string, string | undefined> {
    return {
      userId: this.userId,
      userEmail: this.userEmail === undefined ? undefined : REDACTED,
      userName: this.userName === undefined ? undefined : REDACTED,
      userOid: this.userOid,
    };
  }

  [inspectSymbol](): string {
    return `UserSession ${JSON.stringify(this.toJSON())}`;
  }
}
