import { auth0CredentialsExchangeAction } from '@dual-auth/iam';
import type { Directory } from '../directory.ts';
import { type Auth0DenyCode, auth0DenyCode, auth0KeepsCustomClaim } from './auth0.ts';

/** The parts of Auth0's `credentials-exchange` event the Action reads. */
export interface CredentialsExchangeEvent {
  readonly request: { readonly body: Readonly<Record<string, unknown>> };
  readonly client: { readonly client_id: string; readonly name: string };
  readonly resource_server: { readonly identifier: string };
  readonly transaction: { readonly requested_scopes: readonly string[] };
}

/** The parts of Auth0's `credentials-exchange` API object the Action uses. */
export interface CredentialsExchangeApi {
  readonly accessToken: { setCustomClaim(name: string, value: unknown): void };
  readonly access: { deny(code: string, reason: string): void };
}

/** Looks a user up in the tenant (in production, through the Management API). */
export type UserLookup = (userId: string) => { readonly email: string; readonly name: string } | undefined;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * The credentials-exchange Action dual-auth ships for Auth0, run from its real source in
 * `@dual-auth/iam` (auth0/credentials-exchange-action.cjs) with the tenant directory in place of
 * the Management API: reads the human (`act`) and the delegation the agent sent in the token
 * request body, validates their shape, checks that the client is an approved agent and that the
 * human exists, holds the human role and approved this agent, and writes them as namespaced claims
 * (Auth0 silently drops `act` itself, a restricted claim). Email and name only when the fixture's
 * `actDisplayClaims` lists them, and then from the tenant, never from the request. Malformed input is denied with `api.access.deny`.
 */
export function createCredentialsExchangeAction(options: {
  readonly claimNamespace: string;
  readonly agentRole: string;
  readonly directory: Directory;
}) {
  const { directory } = options;
  const handler = auth0CredentialsExchangeAction().createCredentialsExchangeHandler({
    claimNamespace: options.claimNamespace,
    humanRole: directory.fixture.humanRole,
    agentRequirement: options.agentRole,
    classifyClient: (event) => {
      const agent = directory.agent(event.client.client_id);
      if (agent?.kind === 'directory-reader') return 'not-applicable';
      return agent?.roles.includes(options.agentRole) ? 'agent' : 'not-agent';
    },
    lookupHuman: (userId) => {
      const human = directory.human(userId);
      return human === undefined
        ? undefined
        : { email: human.email, name: human.name, roles: human.roles, approvedAgents: human.approvedAgents };
    },
    displayClaims: (directory.fixture.actDisplayClaims ?? []).join(','),
  });
  return function onExecuteCredentialsExchange(
    event: CredentialsExchangeEvent,
    api: CredentialsExchangeApi,
  ): void {
    const result = handler(event, api);
    // The directory answers synchronously, so the real Action completes before returning.
    if (isThenable(result)) throw new Error('the dual-auth Action did not complete synchronously');
  };
}

/**
 * Runs an Action against an event, as Auth0 does: collects the custom claims Auth0 keeps (dropping
 * restricted ones silently), and the first denial. A code `api.access.deny` does not accept throws,
 * as an error in the Action.
 */
export function runCredentialsExchangeAction(
  action: (event: CredentialsExchangeEvent, api: CredentialsExchangeApi) => void,
  event: CredentialsExchangeEvent,
):
  | { readonly claims: Record<string, unknown> }
  | { readonly denied: { readonly code: Auth0DenyCode; readonly reason: string } } {
  const claims: Record<string, unknown> = {};
  let denied: { code: Auth0DenyCode; reason: string } | undefined;
  action(event, {
    accessToken: {
      setCustomClaim(name, value) {
        if (auth0KeepsCustomClaim(name)) claims[name] = value;
      },
    },
    access: {
      deny(code, reason) {
        const accepted = auth0DenyCode(code);
        denied ??= { code: accepted, reason: typeof reason === 'string' ? reason : '' };
      },
    },
  });
  return denied === undefined ? { claims } : { denied };
}
