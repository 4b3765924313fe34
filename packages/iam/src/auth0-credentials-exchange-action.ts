import { compileFunction } from 'node:vm';
import { readArtefact } from './internal/read-artefact.ts';

const actionFile = 'auth0/credentials-exchange-action.cjs';

/**
 * The parts of Auth0's `credentials-exchange` event the Action reads.
 *
 * @example
 * ```ts
 * const event: Auth0CredentialsExchangeEvent = {
 *   client: { client_id: 'agent-123', name: 'finance agent', metadata: { dual_auth_agent: 'true' } },
 *   request: { body: { act: JSON.stringify({ sub: 'auth0|alice' }) } },
 *   resource_server: { identifier: 'https://api.example.com/finance' },
 * };
 * ```
 */
export interface Auth0CredentialsExchangeEvent {
  readonly client: {
    readonly client_id: string;
    readonly name?: string;
    readonly metadata?: Readonly<Record<string, string>>;
  };
  readonly request: { readonly body: Readonly<Record<string, unknown>> };
  readonly resource_server: { readonly identifier: string };
  readonly secrets?: Readonly<Record<string, string>>;
  readonly transaction?: { readonly requested_scopes?: readonly string[] };
}

/**
 * The parts of Auth0's `credentials-exchange` API object the Action uses.
 *
 * @example
 * ```ts
 * const claims: Record<string, unknown> = {};
 * const api: Auth0CredentialsExchangeApi = {
 *   accessToken: { setCustomClaim: (name, value) => void (claims[name] = value) },
 *   access: { deny: (code, reason) => console.log(code, reason) },
 * };
 * ```
 */
export interface Auth0CredentialsExchangeApi {
  readonly accessToken: { setCustomClaim(name: string, value: unknown): void };
  readonly access: { deny(code: string, reason: string): void };
  readonly cache?: {
    get(key: string): { value: string } | undefined;
    set(key: string, value: string, options?: { ttl?: number }): unknown;
  };
}

/**
 * A human as the Action needs them: tenant email and name, role names, approved agent client ids.
 *
 * @example
 * ```ts
 * const alice: Auth0HumanRecord = { email: 'alice@example.com', name: 'Alice', roles: ['FinanceUser'], approvedAgents: ['agent-123'] };
 * ```
 */
export interface Auth0HumanRecord {
  readonly email?: string | undefined;
  readonly name?: string | undefined;
  readonly roles: readonly string[];
  readonly approvedAgents: readonly string[];
}

/**
 * How the Action's handler is wired: where its claims go and how it learns about clients and humans.
 *
 * @example
 * ```ts
 * const options: Auth0CredentialsExchangeHandlerOptions = {
 *   claimNamespace: 'https://dual-auth.dev/',
 *   humanRole: 'FinanceUser',
 *   agentRequirement: 'client metadata dual_auth_agent=true',
 *   classifyClient: (event) => (event.client.metadata?.dual_auth_agent === 'true' ? 'agent' : 'not-agent'),
 *   lookupHuman: (userId) => directory.get(userId),
 * };
 * ```
 */
export interface Auth0CredentialsExchangeHandlerOptions {
  readonly claimNamespace: string;
  readonly humanRole: string;
  /** What makes a client an agent, quoted in the refusal. */
  readonly agentRequirement: string;
  readonly classifyClient: (event: Auth0CredentialsExchangeEvent) => 'agent' | 'not-agent' | 'not-applicable';
  /** Synchronous answers make the handler synchronous; a promise makes it return one. */
  readonly lookupHuman: (
    userId: string,
    event: Auth0CredentialsExchangeEvent,
  ) => Auth0HumanRecord | undefined | Promise<Auth0HumanRecord | undefined>;
  /**
   * The human's claims copied into `act` besides `sub`: `''` or absent (minimum disclosure),
   * `'email'`, `'name'` or `'email,name'`; anything else makes every request a `server_error`.
   */
  readonly displayClaims?: string;
}

/**
 * The Action module's exports: Auth0's entry point plus the pieces it is built from.
 *
 * @example
 * ```ts
 * const { onExecuteCredentialsExchange } = auth0CredentialsExchangeAction();
 * await onExecuteCredentialsExchange(event, api);
 * ```
 */
export interface Auth0CredentialsExchangeActionModule {
  /** What Auth0 calls: configuration from `event.secrets`, humans from the Management API. */
  readonly onExecuteCredentialsExchange: (
    event: Auth0CredentialsExchangeEvent,
    api: Auth0CredentialsExchangeApi,
  ) => Promise<void>;
  readonly createCredentialsExchangeHandler: (
    options: Auth0CredentialsExchangeHandlerOptions,
  ) => (event: Auth0CredentialsExchangeEvent, api: Auth0CredentialsExchangeApi) => undefined | Promise<void>;
  readonly createManagementApiLookup: (settings: {
    readonly domain: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly fetch?: typeof fetch;
  }) => (
    userId: string,
    event: Auth0CredentialsExchangeEvent,
    api?: Auth0CredentialsExchangeApi,
  ) => Promise<Auth0HumanRecord | undefined>;
  readonly readAct: (
    value: unknown,
  ) => { readonly act: { readonly sub: string } } | { readonly problem: string };
  readonly readDelegation: (
    value: unknown,
  ) => { readonly delegation: Readonly<Record<string, unknown>> } | { readonly problem: string };
  readonly DEFAULT_NAMESPACE: string;
}

/**
 * The Action's source, exactly as it is deployed to Auth0 (Terraform `code = file(...)`).
 *
 * @example
 * ```ts
 * const code = auth0CredentialsExchangeActionSource();
 * await management.actions.update({ id: actionId }, { code });
 * ```
 */
export function auth0CredentialsExchangeActionSource(): string {
  return readArtefact(actionFile);
}

let loaded: Auth0CredentialsExchangeActionModule | undefined;

/**
 * Loads the real Action module the way Auth0 runs it (a CommonJS module, no npm dependencies),
 * once per process.
 *
 * @example
 * ```ts
 * const action = auth0CredentialsExchangeAction();
 * const handler = action.createCredentialsExchangeHandler({
 *   claimNamespace: 'https://dual-auth.dev/',
 *   humanRole: 'FinanceUser',
 *   agentRequirement: 'the FinanceAgent role',
 *   classifyClient: () => 'agent',
 *   lookupHuman: (userId) => humans.get(userId),
 * });
 * handler(event, api);
 * ```
 */
export function auth0CredentialsExchangeAction(): Auth0CredentialsExchangeActionModule {
  if (loaded === undefined) {
    const module = { exports: {} as Record<string, unknown> };
    const run = compileFunction(auth0CredentialsExchangeActionSource(), ['exports', 'require', 'module'], {
      filename: 'credentials-exchange-action.cjs',
    });
    const require = (name: string) => {
      throw new Error(`the dual-auth Action has no dependencies (asked for ${name})`);
    };
    run(module.exports, require, module);
    loaded = Object.freeze(module.exports) as unknown as Auth0CredentialsExchangeActionModule;
  }
  return loaded;
}
