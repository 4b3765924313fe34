/**
 * A realm user as the act mapper sees it through Keycloak's `UserModel`.
 *
 * @example
 * ```ts
 * const alice: KeycloakUserRecord = {
 *   id: '5b0c3a8e-1f0e-4c7e-9d59-6c1f3f0f2a11',
 *   email: 'alice@example.com',
 *   firstName: 'Alice',
 *   lastName: 'Smith',
 *   realmRoles: ['dual-auth-human'],
 *   attributes: { dual_auth_approved_agents: ['dual-auth-agent'] },
 * };
 * ```
 */
export interface KeycloakUserRecord {
  readonly id: string;
  readonly username?: string;
  readonly email?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** Default `true`. */
  readonly enabled?: boolean;
  /** Effective realm roles (direct, composite and group-derived), as `UserModel.hasRole` sees them. */
  readonly realmRoles: readonly string[];
  readonly attributes?: Readonly<Record<string, readonly string[]>>;
}

/**
 * What a token request looks like to a Keycloak script mapper: the realm, the authenticated
 * client, the decoded form parameters and the realm's users.
 *
 * @example
 * ```ts
 * const input: KeycloakScriptApiInput = {
 *   realm: 'dual-auth',
 *   clientId: 'dual-auth-agent',
 *   formParameters: { grant_type: 'client_credentials', client_assertion_type, client_assertion },
 *   users: [alice],
 * };
 * ```
 */
export interface KeycloakScriptApiInput {
  readonly realm: string;
  readonly clientId: string;
  readonly formParameters: Readonly<Record<string, string>>;
  /** The realm's users, or a look-up by user id. */
  readonly users: readonly KeycloakUserRecord[] | ((userId: string) => KeycloakUserRecord | undefined);
  /** Realm roles that exist; default: every role name exists. */
  readonly realmRoles?: readonly string[];
}

/**
 * The variables Keycloak binds for an OpenID Connect script mapper (`ScriptBasedOIDCProtocolMapper`).
 * Typed loosely on purpose: scripts reach into them through Java method names.
 *
 * @example
 * ```ts
 * const { bindings } = createKeycloakScriptApi(input);
 * bindings.keycloakSession.getContext().getClient().getClientId(); // 'dual-auth-agent'
 * ```
 */
export interface KeycloakScriptBindings {
  readonly token: KeycloakTokenObject;
  readonly user: object;
  readonly realm: object;
  readonly userSession: object;
  // biome-ignore lint/suspicious/noExplicitAny: the script calls Java-style methods on it
  readonly keycloakSession: any;
}

/**
 * The parts of Keycloak's `AccessToken` a script mapper uses.
 *
 * @example
 * ```ts
 * bindings.token.setOtherClaims('act', { sub: alice.id });
 * ```
 */
export interface KeycloakTokenObject {
  getIssuedFor(): string;
  setOtherClaims(name: string, value: unknown): void;
  getOtherClaims(): ReadonlyMap<string, unknown>;
}

/**
 * Keycloak-shaped script bindings plus a view of what the script put into the token.
 *
 * @example
 * ```ts
 * const api = createKeycloakScriptApi(input);
 * runKeycloakActMapper(api.bindings);
 * api.tokenClaims(); // { act: {...}, delegation: {...}, agbac_ver: '1.0' }
 * ```
 */
export interface KeycloakScriptApi {
  readonly bindings: KeycloakScriptBindings;
  /** The claims scripts added with `token.setOtherClaims`, as plain JSON values. */
  tokenClaims(): Record<string, unknown>;
}

/**
 * A `java.util.LinkedHashMap` stand-in: scripts build host maps for Jackson with `put`.
 *
 * @example
 * ```ts
 * const map = new HostLinkedHashMap();
 * map.put('sub', 'alice');
 * ```
 */
export class HostLinkedHashMap extends Map<string, unknown> {
  put(key: string, value: unknown): unknown {
    const previous = this.get(key);
    this.set(key, value);
    return previous;
  }
}

function toPlainJson(value: unknown): unknown {
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].map(([key, inner]) => [String(key), toPlainJson(inner)]));
  }
  if (value === undefined) return undefined;
  // Values created inside the script's context belong to another realm: copy them into this one.
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function javaList(values: readonly string[] | undefined) {
  if (values === undefined) return null;
  return {
    contains: (value: unknown) => values.includes(String(value)),
    size: () => values.length,
    get: (index: number) => values[index],
  };
}

function userModel(record: KeycloakUserRecord) {
  return {
    getId: () => record.id,
    getUsername: () => record.username ?? record.id,
    getEmail: () => record.email ?? null,
    getFirstName: () => record.firstName ?? null,
    getLastName: () => record.lastName ?? null,
    isEnabled: () => record.enabled !== false,
    hasRole: (role: { getName(): string } | null) =>
      role !== null && record.realmRoles.includes(role.getName()),
    getAttributes: () => ({
      get: (name: string) => javaList(record.attributes?.[name]),
    }),
    getFirstAttribute: (name: string) => record.attributes?.[name]?.[0] ?? null,
  };
}

/**
 * Builds objects shaped like Keycloak's script-mapper bindings (`token`, `user`, `realm`,
 * `userSession`, `keycloakSession`) for a client-credentials request, so that the real mapper
 * script runs in Node exactly as it reads Keycloak.
 *
 * @example
 * ```ts
 * const api = createKeycloakScriptApi({ realm: 'dual-auth', clientId: 'dual-auth-agent', formParameters, users });
 * const outcome = runKeycloakActMapper(api.bindings);
 * ```
 */
export function createKeycloakScriptApi(input: KeycloakScriptApiInput): KeycloakScriptApi {
  if (typeof input?.clientId !== 'string' || input.clientId.length === 0) {
    throw new TypeError('clientId must be a non-empty string');
  }
  const lookup =
    typeof input.users === 'function'
      ? input.users
      : (() => {
          const byId = new Map(input.users.map((user) => [user.id, user]));
          return (userId: string) => byId.get(userId);
        })();
  const existingRoles = input.realmRoles === undefined ? undefined : new Set(input.realmRoles);
  const claims = new Map<string, unknown>();
  const realm = {
    getName: () => input.realm,
    getId: () => input.realm,
    getRole: (name: string) =>
      existingRoles === undefined || existingRoles.has(name) ? { getName: () => name } : null,
  };
  const serviceAccount = userModel({
    id: `service-account-${input.clientId}`,
    username: `service-account-${input.clientId}`,
    realmRoles: [],
  });
  const client = { getClientId: () => input.clientId };
  const form = { getFirst: (name: string) => input.formParameters[name] ?? null };
  const token: KeycloakTokenObject = {
    getIssuedFor: () => input.clientId,
    setOtherClaims: (name, value) => {
      claims.set(String(name), value);
    },
    getOtherClaims: () => claims,
  };
  const keycloakSession = {
    getContext: () => ({
      getRealm: () => realm,
      getClient: () => client,
      getHttpRequest: () => ({ getDecodedFormParameters: () => form }),
    }),
    users: () => ({
      getUserById: (_realm: unknown, userId: unknown) => {
        const record = lookup(String(userId));
        return record === undefined ? null : userModel(record);
      },
    }),
  };
  const userSession = { getUser: () => serviceAccount, getRealm: () => realm };
  return {
    bindings: { token, user: serviceAccount, realm, userSession, keycloakSession },
    tokenClaims: () =>
      Object.fromEntries([...claims.entries()].map(([name, value]) => [name, toPlainJson(value)])),
  };
}
