/**
 * dual-auth credentials-exchange Action for Auth0.
 *
 * The agent sends the human it acts for in the client-credentials request body (`act` and
 * `delegation` as JSON strings, `agbac_ver`). Auth0 does not let an Action set `act` (a restricted
 * claim, silently dropped), so this Action checks the request and writes namespaced claims:
 * `{namespace}act`, `{namespace}delegation`, `{namespace}agbac_ver`. The human's email and name come
 * from the tenant (Management API), never from the request. Malformed input, a client that is not
 * an approved agent, and a human who is unknown, lacks the human role or has not approved this
 * agent are refused with `api.access.deny('invalid_request', reason)`: Auth0 answers the agent
 * HTTP 400 `{"error":"invalid_request","error_description":reason}`. The trigger accepts only the
 * codes invalid_scope, invalid_request and server_error (server_error, a 500, for a misconfigured
 * Action). The reasons are a contract: @dual-auth/adapter-auth0 tells an agent that is not approved
 * ("client is not an approved agent …") from a human who is not ("user … does not exist", "… lacks
 * the role …", "… has not approved agent …") by them.
 *
 * Secrets (Action → Settings → Secrets):
 *   API_IDENTIFIER            the dual-auth API's identifier; other APIs are left alone
 *   HUMAN_ROLE                the role a human must hold to delegate (e.g. FinanceUser)
 *   CLAIM_NAMESPACE           optional, default https://dual-auth.dev/
 *   AUTH0_DOMAIN              the tenant domain, for Management API look-ups
 *   MANAGEMENT_CLIENT_ID      an M2M application granted read:users and read:roles
 *   MANAGEMENT_CLIENT_SECRET  its secret
 * An agent is a client whose metadata has dual_auth_agent = "true". A human's approvals are the
 * client ids in app_metadata.dual_auth.approved_agents.
 *
 * Runtime: Node 22 Actions. No npm dependencies.
 */

const DEFAULT_NAMESPACE = 'https://dual-auth.dev/';
const DELEGATION_METHODS = new Set(['explicit', 'implicit', 'system']);
const MAX_JSON_LENGTH = 8192;
const MAX_INTENT_SUMMARY = 512;
const MAX_EPOCH_SECONDS = 253402300799;
/** Roles are read page by page (the Management API's largest page), up to this many pages. */
const ROLES_PER_PAGE = 100;
const MAX_ROLE_PAGES = 10;
const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
// Auth0 refuses namespaces on its own domains.
const RESERVED_NAMESPACE_HOSTS = /(^|\.)(auth0\.com|webtask\.io|webtask\.run)$/i;

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function hasControlCharacter(text) {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function isIdentifier(value) {
  return typeof value === 'string' && value.length > 0 && value.length <= 255 && !hasControlCharacter(value);
}

function isEpochSeconds(value) {
  return Number.isInteger(value) && value >= 0 && value <= MAX_EPOCH_SECONDS;
}

/** A request-body member: a JSON object, or a JSON string of one (form bodies carry strings). */
function readJsonObject(value) {
  if (isObject(value)) return value;
  if (typeof value !== 'string' || value.length > MAX_JSON_LENGTH) return undefined;
  try {
    const parsed = JSON.parse(value);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How a denial names the human the caller asked for: its id, unless the caller put an email
 * address there, which a denial reason (logged by Auth0, returned to the agent) must not carry.
 */
function describeSubject(sub) {
  return EMAIL_SHAPE.test(sub) ? 'a subject that looks like an email' : `user ${sub}`;
}

/** The human from the request, or why it is malformed. Only `sub` is taken from the request. */
function readAct(value) {
  const act = readJsonObject(value);
  if (act === undefined || !isIdentifier(act.sub)) return { problem: 'act must be a JSON object with a sub' };
  return { act: { sub: act.sub } };
}

/** The delegation claim (AGBAC shape, snake case), or why it is malformed. */
function readDelegation(value) {
  const problem =
    'delegation must be a JSON object with method (explicit, implicit or system) and granted_at';
  const delegation = readJsonObject(value);
  if (delegation === undefined) return { problem };
  if (!DELEGATION_METHODS.has(delegation.method) || !isEpochSeconds(delegation.granted_at))
    return { problem };
  const claim = { method: delegation.method, granted_at: delegation.granted_at };
  if (delegation.intent_summary !== undefined) {
    if (
      typeof delegation.intent_summary !== 'string' ||
      delegation.intent_summary.length > MAX_INTENT_SUMMARY
    ) {
      return {
        problem: `delegation.intent_summary must be a string of at most ${MAX_INTENT_SUMMARY} characters`,
      };
    }
    claim.intent_summary = delegation.intent_summary;
  }
  if (delegation.expires_at !== undefined) {
    if (!isEpochSeconds(delegation.expires_at))
      return { problem: 'delegation.expires_at must be epoch seconds' };
    claim.expires_at = delegation.expires_at;
  }
  return { delegation: claim };
}

const DISPLAY_CLAIMS = /^(?:|email|name|email,name|name,email)$/;

function displayClaimsText(value) {
  return typeof value === 'string' ? value.replace(/\s+/g, '') : value === undefined ? '' : undefined;
}

function checkDisplayClaims(value) {
  const text = displayClaimsText(value);
  return text !== undefined && DISPLAY_CLAIMS.test(text)
    ? undefined
    : 'DISPLAY_CLAIMS must be empty, "email", "name" or "email,name"';
}

function parseDisplayClaims(value) {
  const listed = (displayClaimsText(value) || '').split(',');
  return { email: listed.includes('email'), name: listed.includes('name') };
}

function checkNamespace(namespace) {
  let url;
  try {
    url = new URL(namespace);
  } catch {
    return 'the claim namespace must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'the claim namespace must be an http(s) URL';
  if (RESERVED_NAMESPACE_HOSTS.test(url.hostname)) return 'the claim namespace may not be on an Auth0 domain';
  if (!namespace.endsWith('/')) return 'the claim namespace must end with /';
  return undefined;
}

function isThenable(value) {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof value.then === 'function'
  );
}

/**
 * Builds the Action's handler from its dependencies. The handler completes synchronously when
 * `lookupHuman` answers synchronously, and returns a promise when it answers with one.
 *
 * options.claimNamespace   prefix of the claims, e.g. https://dual-auth.dev/
 * options.humanRole        role the human must hold
 * options.agentRequirement what makes a client an agent, for the refusal message
 * options.classifyClient   (event) => 'agent' | 'not-agent' | 'not-applicable'
 * options.lookupHuman      (userId, event) => { email?, name?, roles: string[], approvedAgents: string[] } | undefined (or a promise of it)
 * options.displayClaims    the human's claims copied into act besides sub: '' (default, minimum
 *                          disclosure), 'email', 'name' or 'email,name'
 */
function createCredentialsExchangeHandler(options) {
  const namespaceProblem =
    checkNamespace(options.claimNamespace) || checkDisplayClaims(options.displayClaims);
  const disclosed = parseDisplayClaims(options.displayClaims);
  return function onExecuteCredentialsExchange(event, api) {
    if (namespaceProblem !== undefined) {
      api.access.deny('server_error', `dual-auth Action misconfigured: ${namespaceProblem}`);
      return undefined;
    }
    if (typeof options.humanRole !== 'string' || options.humanRole.length === 0) {
      api.access.deny('server_error', 'dual-auth Action misconfigured: no human role');
      return undefined;
    }
    const clientId = event.client.client_id;
    const kind = options.classifyClient(event);
    if (kind === 'not-applicable') return undefined;
    if (kind !== 'agent') {
      api.access.deny(
        'invalid_request',
        `client is not an approved agent (missing ${options.agentRequirement})`,
      );
      return undefined;
    }
    const body = isObject(event.request?.body) ? event.request.body : {};
    if (body.act === undefined) return undefined;
    const act = readAct(body.act);
    if (act.problem !== undefined) {
      api.access.deny('invalid_request', act.problem);
      return undefined;
    }
    let delegation;
    if (body.delegation !== undefined) {
      const read = readDelegation(body.delegation);
      if (read.problem !== undefined) {
        api.access.deny('invalid_request', read.problem);
        return undefined;
      }
      delegation = read.delegation;
    }
    const version = body.agbac_ver;
    if (version !== undefined && (typeof version !== 'string' || !/^[0-9]{1,3}\.[0-9]{1,3}$/.test(version))) {
      api.access.deny('invalid_request', 'agbac_ver must be a version string such as 1.0');
      return undefined;
    }
    const sub = act.act.sub;
    const who = describeSubject(sub);
    const finish = (human) => {
      if (human === undefined || human === null) {
        api.access.deny('invalid_request', `${who} does not exist`);
        return;
      }
      if (!Array.isArray(human.roles) || !human.roles.includes(options.humanRole)) {
        api.access.deny('invalid_request', `${who} lacks the role ${options.humanRole}`);
        return;
      }
      if (!Array.isArray(human.approvedAgents) || !human.approvedAgents.includes(clientId)) {
        api.access.deny('invalid_request', `${who} has not approved agent ${clientId}`);
        return;
      }
      const humanClaim = { sub };
      if (disclosed.email && typeof human.email === 'string' && human.email.length > 0)
        humanClaim.email = human.email;
      if (disclosed.name && typeof human.name === 'string' && human.name.length > 0)
        humanClaim.name = human.name;
      api.accessToken.setCustomClaim(`${options.claimNamespace}act`, humanClaim);
      if (delegation !== undefined)
        api.accessToken.setCustomClaim(`${options.claimNamespace}delegation`, delegation);
      if (version !== undefined)
        api.accessToken.setCustomClaim(`${options.claimNamespace}agbac_ver`, version);
    };
    const human = options.lookupHuman(sub, event);
    return isThenable(human) ? human.then(finish) : finish(human);
  };
}

/**
 * Human look-ups through the Auth0 Management API: GET /api/v2/users/{id} (email, name,
 * app_metadata.dual_auth.approved_agents) and GET /api/v2/users/{id}/roles (every page, up to
 * 1,000 roles). The Management token
 * is cached in api.cache when the runtime offers it. Any failure other than 404 throws, so the
 * token request fails closed.
 */
function createManagementApiLookup(settings) {
  const fetchImpl = settings.fetch || globalThis.fetch;
  const base = `https://${settings.domain}`;
  const cacheKey = `dual-auth-management-token:${settings.clientId}`;
  async function managementToken(api) {
    const cached = api?.cache?.get(cacheKey);
    if (cached && typeof cached.value === 'string') return cached.value;
    const response = await fetchImpl(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
        audience: `${base}/api/v2/`,
      }),
    });
    if (!response.ok)
      throw new Error(`dual-auth: Management API token request failed with status ${response.status}`);
    const body = await response.json();
    if (!isObject(body) || typeof body.access_token !== 'string') {
      throw new Error('dual-auth: Management API token response has no access_token');
    }
    if (api?.cache && typeof body.expires_in === 'number') {
      api.cache.set(cacheKey, body.access_token, { ttl: Math.max(0, body.expires_in - 60) * 1000 });
    }
    return body.access_token;
  }
  async function getJson(path, token) {
    const response = await fetchImpl(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status === 404) return undefined;
    if (!response.ok)
      throw new Error(
        `dual-auth: Management API ${path.split('?')[0]} failed with status ${response.status}`,
      );
    return response.json();
  }
  /** Every role name of a user: pages of 100 until a short one, at most 10 pages (1,000 roles). */
  async function roleNames(id, token) {
    const names = [];
    for (let page = 0; page < MAX_ROLE_PAGES; page++) {
      const batch = await getJson(`/api/v2/users/${id}/roles?per_page=${ROLES_PER_PAGE}&page=${page}`, token);
      if (!Array.isArray(batch)) break;
      for (const role of batch) if (isObject(role) && typeof role.name === 'string') names.push(role.name);
      if (batch.length < ROLES_PER_PAGE) break;
    }
    return names;
  }
  return async function lookupHuman(userId, _event, api) {
    const token = await managementToken(api);
    const id = encodeURIComponent(userId);
    const user = await getJson(
      `/api/v2/users/${id}?fields=user_id,email,name,app_metadata&include_fields=true`,
      token,
    );
    if (!isObject(user)) return undefined;
    const roles = await roleNames(id, token);
    const metadata =
      isObject(user.app_metadata) && isObject(user.app_metadata.dual_auth) ? user.app_metadata.dual_auth : {};
    return {
      email: typeof user.email === 'string' ? user.email : undefined,
      name: typeof user.name === 'string' ? user.name : undefined,
      roles,
      approvedAgents: Array.isArray(metadata.approved_agents) ? metadata.approved_agents : [],
    };
  };
}

/** The entry point Auth0 calls. */
exports.onExecuteCredentialsExchange = async (event, api) => {
  const secrets = event.secrets || {};
  const missing = [
    'API_IDENTIFIER',
    'HUMAN_ROLE',
    'AUTH0_DOMAIN',
    'MANAGEMENT_CLIENT_ID',
    'MANAGEMENT_CLIENT_SECRET',
  ].filter((name) => typeof secrets[name] !== 'string' || secrets[name].length === 0);
  if (missing.length > 0) {
    api.access.deny('server_error', `dual-auth Action misconfigured: missing secrets ${missing.join(', ')}`);
    return;
  }
  if (event.resource_server.identifier !== secrets.API_IDENTIFIER) return;
  const lookup = createManagementApiLookup({
    domain: secrets.AUTH0_DOMAIN,
    clientId: secrets.MANAGEMENT_CLIENT_ID,
    clientSecret: secrets.MANAGEMENT_CLIENT_SECRET,
  });
  const handler = createCredentialsExchangeHandler({
    claimNamespace: secrets.CLAIM_NAMESPACE || DEFAULT_NAMESPACE,
    humanRole: secrets.HUMAN_ROLE,
    agentRequirement: 'client metadata dual_auth_agent=true',
    classifyClient: (e) =>
      isObject(e.client.metadata) && e.client.metadata.dual_auth_agent === 'true' ? 'agent' : 'not-agent',
    lookupHuman: (userId, e) => lookup(userId, e, api),
    displayClaims: secrets.DISPLAY_CLAIMS,
  });
  await handler(event, api);
};

exports.createCredentialsExchangeHandler = createCredentialsExchangeHandler;
exports.createManagementApiLookup = createManagementApiLookup;
exports.readAct = readAct;
exports.readDelegation = readDelegation;
exports.DEFAULT_NAMESPACE = DEFAULT_NAMESPACE;
