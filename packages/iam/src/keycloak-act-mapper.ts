import { type Context, createContext, Script } from 'node:vm';
import { readArtefact } from './internal/read-artefact.ts';
import { HostLinkedHashMap, type KeycloakScriptBindings } from './keycloak-script-api.ts';

const mapperFile = 'keycloak/dual-auth-act-mapper.js';

/**
 * The settings block at the top of the mapper script. Keycloak script mappers cannot read mapper
 * configuration, so these are written into the script (`dual-auth-keycloak-jar --human-role …`).
 *
 * @example
 * ```ts
 * const settings: KeycloakActMapperSettings = {
 *   humanRole: 'FinanceUser',
 *   approvedAgentsAttribute: 'dual_auth_approved_agents',
 *   maxAssertionLength: 16_384,
 *   displayClaims: 'email',
 * };
 * ```
 */
export interface KeycloakActMapperSettings {
  readonly humanRole: string;
  readonly approvedAgentsAttribute: string;
  readonly maxAssertionLength: number;
  /**
   * The human's claims copied from the user store into `act` besides `sub`: `''` (the default:
   * minimum disclosure), `'email'`, `'name'` or `'email,name'`.
   */
  readonly displayClaims: string;
}

/**
 * What the mapper decided: the claims it added, nothing (no human in the assertion), or a
 * refusal. In Keycloak a refusal cannot fail the request: the token goes out without `act`, with
 * a `dual_auth_refusal` claim naming the reason.
 *
 * @example
 * ```ts
 * const outcome: KeycloakActMapperOutcome = { kind: 'refuse', reason: 'user 42 lacks the role FinanceUser' };
 * ```
 */
export type KeycloakActMapperOutcome =
  | { readonly kind: 'claims'; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly kind: 'none' }
  | { readonly kind: 'refuse'; readonly reason: string };

/**
 * The mapper script's source, exactly as it is packed into the provider JAR.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('dual-auth-act-mapper.js', keycloakActMapperSource());
 * ```
 */
export function keycloakActMapperSource(): string {
  return readArtefact(mapperFile);
}

/**
 * The provider JAR's descriptor, `META-INF/keycloak-scripts.json`.
 *
 * @example
 * ```ts
 * const [mapper] = keycloakScriptsDescriptor().mappers;
 * const providerId = `script-${mapper?.fileName}`; // 'script-dual-auth-act-mapper.js'
 * ```
 */
export function keycloakScriptsDescriptor(): {
  readonly mappers: readonly {
    readonly name: string;
    readonly fileName: string;
    readonly description: string;
  }[];
} {
  return JSON.parse(readArtefact('keycloak/META-INF/keycloak-scripts.json')) as ReturnType<
    typeof keycloakScriptsDescriptor
  >;
}

/**
 * The partial realm import (agent and human roles, the agent client with service account and
 * `client_secret_jwt`, the act mapper and an audience mapper), as a fresh object to adapt.
 *
 * @example
 * ```ts
 * const partial = keycloakRealmImport();
 * await fetch(`${base}/admin/realms/${realm}/partialImport`, {
 *   method: 'POST',
 *   headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
 *   body: JSON.stringify(partial),
 * });
 * ```
 */
export function keycloakRealmImport(): Record<string, unknown> {
  return JSON.parse(readArtefact('keycloak/realm-import.json')) as Record<string, unknown>;
}

let compiled: Script | undefined;
let context: Context | undefined;

const javaTypes: Readonly<Record<string, unknown>> = { 'java.util.LinkedHashMap': HostLinkedHashMap };

/**
 * Runs the real mapper script, as Keycloak's script engine would, against Keycloak-shaped
 * bindings (see {@link createKeycloakScriptApi}); `Java.type` offers `java.util.LinkedHashMap` only.
 * Claims land on `bindings.token`; the outcome says why.
 *
 * @example
 * ```ts
 * const api = createKeycloakScriptApi({ realm: 'dual-auth', clientId: 'dual-auth-agent', formParameters, users });
 * const outcome = runKeycloakActMapper(api.bindings, { settings: { humanRole: 'FinanceUser' } });
 * if (outcome.kind === 'claims') console.log(api.tokenClaims().act);
 * ```
 */
export function runKeycloakActMapper(
  bindings: KeycloakScriptBindings,
  options: { readonly settings?: Partial<KeycloakActMapperSettings> } = {},
): KeycloakActMapperOutcome {
  if (
    bindings === null ||
    typeof bindings !== 'object' ||
    typeof bindings.token?.setOtherClaims !== 'function'
  ) {
    throw new TypeError('bindings must be Keycloak script bindings (see createKeycloakScriptApi)');
  }
  compiled ??= new Script(keycloakActMapperSource(), { filename: 'dual-auth-act-mapper.js' });
  context ??= createContext({
    Java: Object.freeze({
      type(name: string) {
        const type = javaTypes[name];
        if (type === undefined) throw new Error(`Java.type(${name}) is not available here`);
        return type;
      },
    }),
  });
  // One synchronous run at a time: the context's globals are this run's bindings.
  Object.assign(context, {
    token: bindings.token,
    user: bindings.user,
    realm: bindings.realm,
    userSession: bindings.userSession,
    keycloakSession: bindings.keycloakSession,
    dualAuthSettingsOverride: options.settings === undefined ? undefined : { ...options.settings },
    dualAuthOutcome: undefined,
  });
  compiled.runInContext(context, { timeout: 1_000 });
  const outcome = (context as { dualAuthOutcome?: { kind?: unknown; reason?: unknown; claims?: unknown } })
    .dualAuthOutcome;
  switch (outcome?.kind) {
    case 'none':
      return { kind: 'none' };
    case 'refuse':
      return { kind: 'refuse', reason: String(outcome.reason) };
    case 'claims':
      return {
        kind: 'claims',
        claims: JSON.parse(JSON.stringify(outcome.claims)) as Record<string, unknown>,
      };
    default:
      throw new Error('the act mapper script produced no outcome');
  }
}
