import { type Act, AGBAC_VERSION, type Delegation, parseAct, parseDelegationClaim } from '@dual-auth/core';
import type { TokenClaims, VendorProfile } from '../vendor-profile.ts';
import { deepFreeze } from './deep-freeze.ts';
import { invalid } from './deny.ts';
import { memoize } from './memoize.ts';

// A remembered result is handed to every token that carries the same `act` or `delegation`, and
// from there to decisions (`human.act`, `delegation`): frozen, no handler can change another's.
const parseActMemo = memoize((input: unknown) => deepFreeze(parseAct(input)), 8);
const parseDelegationMemo = memoize((input: unknown) => deepFreeze(parseDelegationClaim(input)), 8);

/**
 * How dual-subject tokens are laid out; configured, never guessed per token.
 *
 * @example
 * ```ts
 * const layout: Layout = vendor === 'entraid' ? 'hybrid' : 'agbac';
 * ```
 */
export type Layout = 'agbac' | 'hybrid' | 'rfc8693';

/** The delegation claim parsed, or why it is not valid (decided by policy, not here). */
export type DelegationResult =
  | { readonly ok: true; readonly delegation: Delegation }
  | { readonly ok: false; readonly problem: string };

/** Both subjects read from a verified token (and act assertion) in one layout. */
export interface NormalizedSubjects {
  readonly agentId: string;
  readonly humanId: string;
  readonly act: Act | undefined;
  /** The object the human's roles claim is read from. */
  readonly humanSource: TokenClaims;
  readonly delegation: DelegationResult | undefined;
  /** The actors, the current one (the agent) first and the first actor last. */
  readonly chain: readonly string[];
  /** Per actor of `chain`, the scopes its `act` entry records; absent when none records any. */
  readonly actorScopes?: readonly (readonly string[] | undefined)[];
  /** The agent's roles where the layout knows better than the vendor profile (none: they are the human's). */
  readonly agentRoles?: readonly string[];
}

const isRecord = (value: unknown): value is TokenClaims =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const emailShape = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Refuses a human named by an email address: AGBAC carries the IAM user id, and audit events must
 * never hold an email, so such a token is a sender's misconfiguration.
 */
function checkHumanId(humanId: string, where: string): void {
  // The pattern needs an `@`: an IAM user id (a UUID, say) is passed over without running it.
  if (humanId.includes('@') && emailShape.test(humanId))
    invalid(`${where} names the human by an email address, not an IAM user id`);
}

/** Reads the agent's id from a token with the vendor's rule, or refuses the token. */
export function agentIdOf(claims: TokenClaims, profile: VendorProfile): string {
  const agentId = profile.agentId(claims);
  if (agentId === undefined) invalid('the token names no agent (vendor agent claim missing)');
  return agentId;
}

/** The `act` object of AGBAC's layout (token or act assertion): the human, never an actor chain. */
export function readHumanAct(value: unknown, where: string): { act: Act; source: TokenClaims } {
  if (value === undefined) invalid(`${where} has no human (act claim missing)`);
  if (!isRecord(value)) invalid(`${where} act claim is not an object`);
  // An actor (`client_id`, nested `act`) in `act` is the RFC 8693 layout: reading it as AGBAC
  // would swap human and agent.
  if (value.act !== undefined || value.client_id !== undefined) {
    invalid(`${where} act claim is in the RFC 8693 layout (an actor, not a human)`);
  }
  const parsed = parseActMemo(value);
  if (!parsed.ok) invalid(`${where} act claim is malformed (${parsed.problem})`);
  checkHumanId(parsed.act.sub, where);
  return { act: parsed.act, source: value };
}

/** Parses an optional `delegation` claim into a result for the policy to judge. */
export function readDelegation(value: unknown): DelegationResult | undefined {
  if (value === undefined) return undefined;
  const result = parseDelegationMemo(value);
  return result.ok ? result : Object.freeze({ ok: false, problem: result.problem });
}

/**
 * The name of an AGBAC claim beside the human claim: `delegation` next to `act`, and
 * `https://example.com/delegation` next to `https://example.com/act`, because an IdP that must
 * namespace the human (Auth0) namespaces its companions the same way.
 */
export function companionClaim(humanClaim: string, name: 'delegation' | 'agbac_ver'): string {
  return humanClaim !== 'act' && humanClaim.endsWith('/act') ? `${humanClaim.slice(0, -3)}${name}` : name;
}

function checkAgbacVersion(version: unknown, where: string): void {
  if (version !== undefined && version !== AGBAC_VERSION) {
    invalid(`${where} agbac_ver is not ${AGBAC_VERSION}`);
  }
}

/** AGBAC layout: agent from the vendor's agent claim, human from `act` (or a namespaced claim). */
export function normalizeAgbac(
  claims: TokenClaims,
  profile: VendorProfile,
  humanClaim: string,
): NormalizedSubjects {
  const agentId = agentIdOf(claims, profile);
  checkAgbacVersion(claims[companionClaim(humanClaim, 'agbac_ver')], 'access token');
  const { act, source } = readHumanAct(claims[humanClaim], 'access token');
  if (act.sub === agentId || act.sub === claims.sub) {
    invalid('access token act.sub names the token subject (RFC 8693 layout where AGBAC is configured)');
  }
  return {
    agentId,
    humanId: act.sub,
    act,
    humanSource: source,
    delegation: readDelegation(claims[companionClaim(humanClaim, 'delegation')]),
    chain: [agentId],
  };
}

// How far past the configured depth a chain is still read: the judge then refuses it as a chain too
// deep (delegation_invalid, audited with its actors); a token nested deeper still is malformed.
const CHAIN_READ_MARGIN = 8;

/** The scopes an actor's `act` entry records: `scope` (space-separated) or `scp` (array or string). */
function actorScopesOf(actor: TokenClaims): readonly string[] | undefined {
  const value = actor.scope ?? actor.scp;
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.split(' ').filter((item) => item !== '');
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  invalid('act claim scope is neither a string nor a list of strings');
}

/**
 * Whether a Keycloak access token was issued by a token exchange. Keycloak 26.2+ encodes how a
 * token was issued in its `jti`: six letters, then `:` and the id — session type, token type and
 * grant type, two letters each — and the token-exchange grant's letters are `te`
 * (keycloak/keycloak: DefaultTokenContextEncoderProvider.encodeTokenId,
 * TokenExchangeGrantTypeFactory.getShortcut). A human's own login token (`ac`, `ro`, `rt`…) has
 * the same `sub` and `azp` layout, so without this mark every web application would read as an agent.
 */
export function isKeycloakExchangedToken(claims: TokenClaims): boolean {
  const { jti } = claims;
  return typeof jti === 'string' && jti.length > 7 && jti[6] === ':' && jti.startsWith('te', 4);
}

/**
 * On-behalf-of tokens without `act`, whose acting client is the token's own client claim:
 * Keycloak's standard token exchange (`sub` = the user, `azp` = the client that exchanged), Okta's
 * (`uid` = the user, `cid` = the service app) and Entra ID's (`oid` = the user, `azp`/`appid` = the
 * middle tier). None records earlier actors, so their chain is the agent alone.
 */
const actLessForms: Readonly<
  Record<
    string,
    {
      humanClaim: string;
      delegated: (claims: TokenClaims) => boolean;
      /**
       * Set where the IdP does not mark an on-behalf-of token, so that a human's own token for a
       * web application has the same form: read only with `onBehalfOfAgents`.
       */
      unmarked?: { readonly vendor: string; readonly clientClaim: string };
      /** The token's role claims hold the human's roles, not the agent's. */
      rolesAreTheHumans?: true;
    }
  >
> = {
  // Keycloak 26.7's standard token exchange V2 (StandardTokenExchangeProvider) names no actor:
  // only the `te` mark of `jti` tells an exchanged token from the human's login token. Its
  // realm_access/resource_access are the user's role mappings (the token's user is the human), so
  // the agent has no roles in it: a route's agentRoles would otherwise be met by the human's roles.
  keycloak: { humanClaim: 'sub', delegated: isKeycloakExchangedToken, rolesAreTheHumans: true },
  // developer.okta.com/docs/guides/set-up-token-exchange: the exchanged token keeps the user (`uid`,
  // and `sub` = the login, often an email) and names the service app in `cid`; a client-credentials
  // token has no `uid`.
  okta: {
    humanClaim: 'uid',
    delegated: (claims) => typeof claims.uid === 'string',
    unmarked: { vendor: 'Okta', clientClaim: 'cid' },
  },
  // learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow and
  // access-token-claims-reference: `scp` is only in user (delegated) tokens, `idtyp: app` and `roles`
  // mark app-only ones; `oid` is the user's stable id (`sub` is pairwise per application).
  entraid: {
    humanClaim: 'oid',
    delegated: (claims) => typeof claims.scp === 'string' && claims.idtyp !== 'app',
    unmarked: { vendor: 'Entra ID', clientClaim: 'azp' },
  },
};

function normalizeActLess(
  claims: TokenClaims,
  profile: VendorProfile,
  onBehalfOfAgents: ReadonlySet<string> | undefined,
): NormalizedSubjects | undefined {
  const form = actLessForms[profile.name];
  if (form === undefined || !form.delegated(claims)) return undefined;
  // A user's own login token for a web application names the user and the web application exactly
  // as an on-behalf-of token names the user and the agent: without the list of agents, reading it
  // would let every web application act for its users, its agent checks met by their scopes.
  if (form.unmarked !== undefined && onBehalfOfAgents === undefined)
    invalid(
      `access token has no act claim, and ${form.unmarked.vendor} does not mark an on-behalf-of token: ` +
        `set onBehalfOfAgents to the client ids (${form.unmarked.clientClaim}) of the agents that exchange users' tokens`,
    );
  const humanId = claims[form.humanClaim];
  if (typeof humanId !== 'string' || humanId.length === 0)
    invalid(`access token has no ${form.humanClaim} (the human)`);
  checkHumanId(humanId, 'access token');
  const agentId = agentIdOf(claims, profile);
  if (agentId === humanId) invalid('access token names the agent as the human');
  if (onBehalfOfAgents !== undefined && !onBehalfOfAgents.has(agentId))
    invalid('access token has no act claim and its client is not one of onBehalfOfAgents');
  return {
    agentId,
    humanId,
    act: undefined,
    humanSource: claims,
    delegation: readDelegation(claims.delegation),
    chain: [agentId],
    ...(form.rolesAreTheHumans === true ? { agentRoles: [] } : {}),
  };
}

/**
 * RFC 8693 layout: human in `sub`, agent in `act.client_id`/`act.sub`, nested `act` = earlier actors
 * (§4.1: the outermost `act` is the current actor), so `chain` is [current actor, …, first actor].
 * Keycloak (exchanged, marked in `jti`), Okta and Entra ID on-behalf-of tokens, which carry no
 * `act`, are read by their own claims; Okta's and Entra ID's only with `onBehalfOfAgents`.
 */
export function normalizeRfc8693(
  claims: TokenClaims,
  profile: VendorProfile,
  maxChainDepth: number,
  onBehalfOfAgents?: ReadonlySet<string>,
): NormalizedSubjects {
  if (claims.agbac_ver !== undefined)
    invalid('access token is in the AGBAC layout where RFC 8693 is configured');
  if (claims.act === undefined) {
    const actLess = normalizeActLess(claims, profile, onBehalfOfAgents);
    if (actLess !== undefined) return actLess;
  }
  // Auth0's Actor Profile claims (auth0.com/docs/ai-agents-mcp/agents-as-principal/agent-identity-in-tokens):
  // `sub_profile` says what `sub` is; only a user is a human this layout can name.
  if (claims.sub_profile !== undefined && claims.sub_profile !== 'user')
    invalid('access token sub_profile is not a user (the subject is not a human)');
  const humanId = claims.sub;
  if (typeof humanId !== 'string' || humanId.length === 0) invalid('access token has no sub (the human)');
  checkHumanId(humanId, 'access token');
  const chain: string[] = [];
  let actorScopes: (readonly string[] | undefined)[] | undefined;
  let actor: unknown = claims.act;
  if (actor === undefined) invalid('access token has no act claim (no acting agent)');
  const readLimit = maxChainDepth + CHAIN_READ_MARGIN;
  while (actor !== undefined) {
    if (chain.length >= readLimit) invalid('delegation chain is deeper than allowed');
    if (!isRecord(actor)) invalid('act claim is not an object');
    // Display fields belong to a human: this `act` is AGBAC's, and reading it as an actor would
    // swap human and agent.
    if (actor.email !== undefined || actor.name !== undefined) {
      invalid('act claim describes a human (AGBAC layout where RFC 8693 is configured)');
    }
    const id = typeof actor.client_id === 'string' ? actor.client_id : actor.sub;
    if (typeof id !== 'string' || id.length === 0) invalid('act claim names no actor');
    const scopes = actorScopesOf(actor);
    if (scopes !== undefined) {
      actorScopes ??= chain.map(() => undefined);
      actorScopes.push(scopes);
    } else actorScopes?.push(undefined);
    chain.push(profile.normalizeAgentId === undefined ? id : profile.normalizeAgentId(id));
    actor = actor.act;
  }
  const agentId = chain[0] as string;
  const normalize = profile.normalizeAgentId ?? ((id: string) => id);
  if (
    agentId === humanId ||
    profile.agentId(claims) === normalize(humanId) ||
    normalize(humanId) !== humanId
  ) {
    invalid('access token sub names the agent (AGBAC layout where RFC 8693 is configured)');
  }
  return {
    agentId,
    humanId,
    act: undefined,
    humanSource: claims,
    delegation: readDelegation(claims.delegation),
    chain,
    ...(actorScopes === undefined ? {} : { actorScopes }),
  };
}
