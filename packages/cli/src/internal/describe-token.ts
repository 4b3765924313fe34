import { ACT_ASSERTION_TYPE, ACT_JWT_TYPE, type Vendor } from '@dual-auth/core';
import { decodeUnverifiedJws, type JsonObject } from '@dual-auth/core/jose';
import { vendorProfiles } from '@dual-auth/verifier';
import { exitCodes } from '../exit-codes.ts';
import { CliExit } from './command-context.ts';

/** Longest token `inspect` and `verify` read. */
export const MAXIMUM_INPUT_TOKEN_LENGTH = 65_536;

type Claims = Readonly<Record<string, unknown>>;

/** What a token looks like, decoded only: nothing here is verified. */
export interface TokenDescription {
  readonly kind: 'access-token' | 'act-jwt' | 'act-assertion' | 'id-token';
  readonly layout: 'agbac' | 'hybrid' | 'rfc8693' | 'ambiguous';
  readonly layoutReason: string;
  readonly vendor: Vendor | 'unknown';
  readonly vendorReason: string;
  readonly header: { readonly alg?: string; readonly typ?: string; readonly kid?: string };
  readonly issuer: string | undefined;
  readonly audience: readonly string[];
  readonly agent: { readonly id: string; readonly claim: string } | undefined;
  readonly human:
    | { readonly sub: string; readonly email?: string; readonly name?: string; readonly claim: string }
    | undefined;
  readonly delegation: Claims | undefined;
  readonly agbacVersion: string | undefined;
  /** RFC 8693 actors, the current one first. */
  readonly chain: readonly string[];
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly issuedAt: number | undefined;
  readonly expiresAt: number | undefined;
  readonly expired: boolean | undefined;
  readonly claims: Claims;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;
const record = (value: unknown): Claims | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Claims) : undefined;

/** Strips `Bearer ` and whitespace; refuses what is not three base64url segments. */
export function normalizeTokenInput(input: string): string {
  const trimmed = input.trim().replace(/^bearer\s+/i, '');
  if (trimmed.length === 0) throw new CliExit(exitCodes.input, 'no token given');
  if (trimmed.length > MAXIMUM_INPUT_TOKEN_LENGTH) {
    throw new CliExit(exitCodes.input, `the token is longer than ${MAXIMUM_INPUT_TOKEN_LENGTH} characters`);
  }
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(trimmed)) {
    throw new CliExit(
      exitCodes.input,
      'not a JWT: expected three base64url segments (header.payload.signature); encrypted JWE tokens cannot be inspected',
    );
  }
  return trimmed;
}

function decode(token: string): { header: JsonObject; payload: JsonObject } {
  const decoded = decodeUnverifiedJws(token);
  if (!decoded.ok) throw new CliExit(exitCodes.input, `not a decodable JWT: it ${decoded.detail}`);
  return decoded;
}

function guessVendor(claims: Claims): { vendor: Vendor | 'unknown'; reason: string } {
  const issuer = text(claims.iss) ?? '';
  const signs: Record<Vendor, string[]> = { keycloak: [], auth0: [], okta: [], entraid: [] };
  if (/\/realms\/[^/]+$/.test(issuer)) signs.keycloak.push('issuer …/realms/{realm}');
  if (record(claims.realm_access) !== undefined) signs.keycloak.push('realm_access');
  if (text(claims.preferred_username)?.startsWith('service-account-'))
    signs.keycloak.push('service-account- username');
  if (claims.typ === 'Bearer') signs.keycloak.push('typ Bearer in the payload');
  if (claims.gty !== undefined) signs.auth0.push('gty');
  if (text(claims.sub)?.endsWith('@clients')) signs.auth0.push('sub …@clients');
  if (/\.auth0\.com\/$/.test(issuer) || /^auth0\|/.test(text(claims.sub) ?? ''))
    signs.auth0.push('Auth0 issuer or user id');
  if (Object.keys(claims).some((key) => /^https?:\/\/.+\/act$/.test(key)))
    signs.auth0.push('namespaced act claim');
  if (text(claims.cid) !== undefined) signs.okta.push('cid');
  if (Array.isArray(claims.scp)) signs.okta.push('scp array');
  if (text(claims.jti)?.startsWith('AT.')) signs.okta.push('jti AT.…');
  if (/\/oauth2\/[^/]+$/.test(issuer)) signs.okta.push('issuer …/oauth2/{authServerId}');
  if (text(claims.tid) !== undefined) signs.entraid.push('tid');
  if (
    /^https:\/\/(login\.microsoftonline\.com|sts\.windows\.net)\//.test(issuer) ||
    /\/v2\.0$/.test(issuer)
  ) {
    signs.entraid.push('Entra issuer');
  }
  if (claims.azpacr !== undefined || claims.appidacr !== undefined) signs.entraid.push('azpacr/appidacr');
  if (claims.idtyp !== undefined) signs.entraid.push('idtyp');
  const ranked = (Object.entries(signs) as [Vendor, string[]][]).sort((a, b) => b[1].length - a[1].length);
  const [best, second] = ranked;
  if (best === undefined || best[1].length === 0)
    return { vendor: 'unknown', reason: 'no vendor-specific claims' };
  if (second !== undefined && second[1].length === best[1].length) {
    return { vendor: 'unknown', reason: `as much like ${best[0]} as ${second[0]}` };
  }
  return { vendor: best[0], reason: best[1].join(', ') };
}

function humanOf(value: unknown, claim: string): TokenDescription['human'] {
  const act = record(value);
  const sub = text(act?.sub);
  if (act === undefined || sub === undefined) return undefined;
  return {
    sub,
    ...(text(act.email) === undefined ? {} : { email: text(act.email) as string }),
    ...(text(act.name) === undefined ? {} : { name: text(act.name) as string }),
    claim,
  };
}

function actorChain(act: Claims | undefined, vendor: Vendor | 'unknown'): string[] {
  const chain: string[] = [];
  let current = act;
  while (current !== undefined && chain.length < 10) {
    const id = text(current.client_id) ?? text(current.sub);
    if (id !== undefined) {
      const profile = vendor === 'unknown' ? undefined : vendorProfiles[vendor];
      chain.push(profile?.normalizeAgentId?.(id) ?? id);
    }
    current = record(current.act);
  }
  return chain;
}

function agentOf(claims: Claims, vendor: Vendor | 'unknown'): TokenDescription['agent'] {
  const candidates: [string, unknown][] =
    vendor === 'unknown'
      ? [
          ['azp', claims.azp],
          ['client_id', claims.client_id],
          ['cid', claims.cid],
          ['appid', claims.appid],
          ['sub', claims.sub],
        ]
      : [[`${vendor} agent claim`, vendorProfiles[vendor].agentId(claims)]];
  for (const [claim, value] of candidates) {
    const id = text(value);
    if (id !== undefined) return { id, claim };
  }
  return undefined;
}

/**
 * An on-behalf-of token without `act`, as the verifier's rfc8693 layout reads it: the human from
 * the vendor's user claim, the agent from its client claim, and why (`undefined`: not one).
 */
function actLessExchange(
  claims: Claims,
  vendor: Vendor | 'unknown',
): { human: string; humanClaim: string; reason: string } | undefined {
  const jti = text(claims.jti);
  // Keycloak 26.2+ writes the grant type into jti (`onrtte:…`: te = token exchange).
  if (vendor === 'keycloak' && jti !== undefined && jti[6] === ':' && jti.startsWith('te', 4)) {
    const sub = text(claims.sub);
    return sub === undefined
      ? undefined
      : {
          human: sub,
          humanClaim: 'sub',
          reason:
            "Keycloak standard token exchange (jti grant mark te): RFC 8693 without act, the human is sub and the agent azp; the token's roles are the human's",
        };
  }
  if (vendor === 'okta' && text(claims.uid) !== undefined)
    return {
      human: claims.uid as string,
      humanClaim: 'uid',
      reason:
        "Okta on-behalf-of token without act: RFC 8693, the human is uid (sub is their login) and the agent cid; a web application's user token looks the same, so the verifier reads it only when onBehalfOfAgents lists its cid",
    };
  if (vendor === 'entraid' && typeof claims.scp === 'string' && claims.idtyp !== 'app' && text(claims.oid))
    return {
      human: claims.oid as string,
      humanClaim: 'oid',
      reason:
        "Entra ID delegated (on-behalf-of) token without act: RFC 8693, the human is oid and the agent azp; a web application's user token looks the same, so the verifier reads it only when onBehalfOfAgents lists its azp",
    };
  return undefined;
}

/** Decodes a token (never verifying it) and says what it looks like. */
export function describeToken(token: string, now = Date.now()): TokenDescription {
  const { header, payload } = decode(token);
  const claims = payload as Claims;
  const typ = text(header.typ)
    ?.toLowerCase()
    .replace(/^application\//, '');
  const { vendor, reason: vendorReason } = guessVendor(claims);
  const audience = Array.isArray(claims.aud)
    ? claims.aud.filter((item): item is string => typeof item === 'string')
    : text(claims.aud) === undefined
      ? []
      : [claims.aud as string];
  const namespacedAct = Object.keys(claims).find((key) => /^https?:\/\/.+\/act$/.test(key));
  const act = record(claims.act);
  let kind: TokenDescription['kind'] = 'access-token';
  let layout: TokenDescription['layout'];
  let layoutReason: string;
  let agent = agentOf(claims, vendor);
  let human: TokenDescription['human'];
  let chain: string[] = agent === undefined ? [] : [agent.id];
  let delegation = record(claims.delegation);
  let agbacVersion = text(claims.agbac_ver);
  const exchanged = act === undefined ? actLessExchange(claims, vendor) : undefined;

  if (typ === ACT_ASSERTION_TYPE) {
    kind = 'act-assertion';
    layout = 'hybrid';
    layoutReason = `typ ${ACT_ASSERTION_TYPE}: the application-signed X-Act-Assertion of hybrid mode`;
    human = humanOf(claims.act, 'act');
    agent =
      text(claims.client_id) === undefined
        ? undefined
        : { id: claims.client_id as string, claim: 'client_id' };
    chain = agent === undefined ? [] : [agent.id];
  } else if (typ === ACT_JWT_TYPE) {
    kind = 'act-jwt';
    layout = 'agbac';
    layoutReason = `typ ${ACT_JWT_TYPE}: an out-of-session act JWT, signed by the application for an agent endpoint`;
    human = humanOf(claims.act, 'act');
    agent = undefined;
    chain = [];
  } else if (claims.nonce !== undefined || claims.at_hash !== undefined || claims.c_hash !== undefined) {
    kind = 'id-token';
    layout = 'ambiguous';
    layoutReason = 'an ID token (nonce/at_hash): not an access token, no API should accept it';
  } else if (namespacedAct !== undefined) {
    layout = 'agbac';
    layoutReason = `the human is in the namespaced claim ${namespacedAct} (Auth0 + the dual-auth Action)`;
    human = humanOf(claims[namespacedAct], namespacedAct);
    const namespace = namespacedAct.slice(0, -'act'.length);
    delegation = record(claims[`${namespace}delegation`]) ?? delegation;
    agbacVersion = text(claims[`${namespace}agbac_ver`]) ?? agbacVersion;
  } else if (exchanged !== undefined) {
    layout = 'rfc8693';
    layoutReason = exchanged.reason;
    human = { sub: exchanged.human, claim: exchanged.humanClaim };
  } else if (act === undefined) {
    layout = 'hybrid';
    layoutReason =
      "no act claim and no IdP mark of delegation: a user's own login token (sub = the user, the client claim = the application signed in to) or a plain agent token (hybrid: the human travels beside it as an X-Act-Assertion); the two cannot be told apart without the IdP's mark";
  } else if (text(act.client_id) !== undefined || record(act.act) !== undefined) {
    layout = 'rfc8693';
    layoutReason =
      'act names an actor (client_id or nested act): RFC 8693, the human is sub and the agent act';
  } else if (
    agbacVersion !== undefined ||
    delegation !== undefined ||
    text(act.email) !== undefined ||
    text(act.name) !== undefined
  ) {
    layout = 'agbac';
    layoutReason = `act holds a human${agbacVersion === undefined ? '' : ` and agbac_ver ${agbacVersion}`}: AGBAC, the agent is the token's client and the human act`;
    human = humanOf(act, 'act');
  } else if ([text(claims.azp), text(claims.client_id), text(claims.cid)].includes(text(act.sub))) {
    layout = 'rfc8693';
    layoutReason = "act.sub is the token's own client: RFC 8693, the human is sub and the agent act";
  } else {
    layout = 'ambiguous';
    layoutReason =
      'act.sub could be a human (AGBAC) or an actor (RFC 8693): configure the layout explicitly, never guess';
    human = humanOf(act, 'act');
  }
  if (layout === 'rfc8693' && exchanged === undefined) {
    chain = actorChain(act, vendor);
    const [current] = chain;
    agent = current === undefined ? undefined : { id: current, claim: 'act' };
    const sub = text(claims.sub);
    human = sub === undefined ? undefined : { sub, claim: 'sub' };
  }
  const profile = vendor === 'unknown' ? undefined : vendorProfiles[vendor];
  const issuedAt = typeof claims.iat === 'number' ? claims.iat : undefined;
  const expiresAt = typeof claims.exp === 'number' ? claims.exp : undefined;
  return {
    kind,
    layout,
    layoutReason,
    vendor,
    vendorReason,
    header: {
      ...(text(header.alg) === undefined ? {} : { alg: header.alg as string }),
      ...(text(header.typ) === undefined ? {} : { typ: header.typ as string }),
      ...(text(header.kid) === undefined ? {} : { kid: header.kid as string }),
    },
    issuer: text(claims.iss),
    audience,
    agent,
    human,
    delegation,
    agbacVersion,
    chain,
    scopes: profile === undefined ? [] : [...profile.agentScopes(claims)],
    // A Keycloak exchanged token's roles are the human's: the verifier gives its agent none.
    roles:
      profile === undefined || exchanged?.humanClaim === 'sub'
        ? []
        : [...profile.agentRoles(claims, audience)],
    issuedAt,
    expiresAt,
    expired: expiresAt === undefined ? undefined : expiresAt * 1000 <= now,
    claims,
  };
}

/** "in 4 min" / "3 h ago". */
export function relativeTime(epochSeconds: number, now = Date.now()): string {
  const delta = Math.round(epochSeconds - now / 1000);
  const size = Math.abs(delta);
  const amount =
    size < 120
      ? `${size} s`
      : size < 7_200
        ? `${Math.round(size / 60)} min`
        : size < 172_800
          ? `${Math.round(size / 3600)} h`
          : `${Math.round(size / 86_400)} d`;
  return delta >= 0 ? `in ${amount}` : `${amount} ago`;
}
