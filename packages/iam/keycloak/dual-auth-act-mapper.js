/*
 * dual-auth act mapper: an OpenID Connect script protocol mapper for Keycloak (26.x).
 *
 * Copies the human (`act`), the `delegation` and `agbac_ver` from the client assertion that
 * Keycloak has already verified (client_secret_jwt or private_key_jwt) into the access token.
 * The token names the human by id only (`act.sub`); the human's email and name are added only
 * when `displayClaims` lists them (minimum disclosure), and then come from the realm's own user
 * store, never from the request.
 *
 * Keycloak evaluates this file with its JavaScript engine (Nashorn) and these bindings:
 *   user             the service-account user of the agent client
 *   realm            the realm (RealmModel)
 *   token            the access token being built (AccessToken)
 *   userSession      the user session
 *   keycloakSession  the KeycloakSession (request context, users)
 * It is plain ECMAScript 5.1: no let/const, arrows, template strings or trailing commas in calls.
 *
 * A script mapper cannot refuse a token request: Keycloak catches anything a mapper script throws
 * and drops the claim. When the human may not be delegated to this agent, the token therefore
 * carries no `act` (the verifier denies it) and a `dual_auth_refusal` claim with the reason
 * (identifiers only), which `dual-auth inspect` and `dual-auth doctor` show.
 *
 * Deploy: requires the `scripts` feature (`kc.sh start --features=scripts`); pack this file with
 * META-INF/keycloak-scripts.json into a JAR (`dual-auth-keycloak-jar`) and put it in providers/.
 */

var DUAL_AUTH_SETTINGS = {
  // Realm role a human must hold to delegate to an agent.
  humanRole: 'dual-auth-human',
  // Multi-valued user attribute listing the client ids of the agents the human approved.
  approvedAgentsAttribute: 'dual_auth_approved_agents',
  // Largest client assertion read, in characters.
  maxAssertionLength: 16384,
  // Display claims copied from the user store into act: '' (none), 'email', 'name' or 'email,name'.
  displayClaims: '',
};

var dualAuthOutcome = (function (token, realm, keycloakSession, overrides) {
  var JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
  var DELEGATION_METHODS = { explicit: true, implicit: true, system: true };
  var MAX_INTENT_SUMMARY = 512;
  var MAX_EPOCH_SECONDS = 253402300799;

  var settings = {};
  var key;
  for (key in DUAL_AUTH_SETTINGS) settings[key] = DUAL_AUTH_SETTINGS[key];
  if (overrides) for (key in overrides) settings[key] = overrides[key];

  function none() {
    return { kind: 'none' };
  }

  function refuse(reason) {
    return { kind: 'refuse', reason: reason };
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Object]';
  }

  function isIdentifier(value) {
    return typeof value === 'string' && value.length > 0 && value.length <= 255 && !/[\u0000-\u001f\u007f]/.test(value);
  }

  function isEpochSeconds(value) {
    return typeof value === 'number' && value % 1 === 0 && value >= 0 && value <= MAX_EPOCH_SECONDS;
  }

  function base64UrlBytes(text) {
    var alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    var bytes = [];
    var buffer = 0;
    var bits = 0;
    for (var i = 0; i < text.length; i++) {
      var index = alphabet.indexOf(text.charAt(i));
      if (index < 0) return undefined;
      buffer = (buffer << 6) | index;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        bytes.push((buffer >> bits) & 0xff);
      }
    }
    return bytes;
  }

  function utf8Text(bytes) {
    var out = '';
    var i = 0;
    while (i < bytes.length) {
      var b = bytes[i++];
      var code;
      if (b < 0x80) code = b;
      else if (b >= 0xc2 && b < 0xe0) code = ((b & 0x1f) << 6) | (bytes[i++] & 0x3f);
      else if (b >= 0xe0 && b < 0xf0) code = ((b & 0x0f) << 12) | ((bytes[i++] & 0x3f) << 6) | (bytes[i++] & 0x3f);
      else if (b >= 0xf0 && b < 0xf5) {
        code =
          ((b & 0x07) << 18) | ((bytes[i++] & 0x3f) << 12) | ((bytes[i++] & 0x3f) << 6) | (bytes[i++] & 0x3f);
      } else return undefined;
      if (code > 0xffff) {
        code -= 0x10000;
        out += String.fromCharCode(0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff));
      } else out += String.fromCharCode(code);
    }
    return out;
  }

  function assertionPayload(assertion) {
    var parts = assertion.split('.');
    if (parts.length !== 3) return undefined;
    var bytes = base64UrlBytes(parts[1]);
    var text = bytes === undefined ? undefined : utf8Text(bytes);
    if (text === undefined) return undefined;
    try {
      var payload = JSON.parse(text);
      return isObject(payload) ? payload : undefined;
    } catch (e) {
      return undefined;
    }
  }

  function delegationClaim(delegation) {
    if (!isObject(delegation)) return undefined;
    if (typeof delegation.method !== 'string' || DELEGATION_METHODS[delegation.method] !== true) return undefined;
    if (!isEpochSeconds(delegation.granted_at)) return undefined;
    var claim = { method: delegation.method, granted_at: delegation.granted_at };
    if (delegation.intent_summary !== undefined) {
      if (typeof delegation.intent_summary !== 'string' || delegation.intent_summary.length > MAX_INTENT_SUMMARY) {
        return undefined;
      }
      claim.intent_summary = delegation.intent_summary;
    }
    if (delegation.expires_at !== undefined) {
      if (!isEpochSeconds(delegation.expires_at)) return undefined;
      claim.expires_at = delegation.expires_at;
    }
    return claim;
  }

  function javaString(value) {
    return value === null || value === undefined ? undefined : String(value);
  }

  var context = keycloakSession.getContext();
  var client = context.getClient();
  var clientId = javaString(client ? client.getClientId() : token.getIssuedFor());
  var form = context.getHttpRequest().getDecodedFormParameters();
  var assertion = javaString(form.getFirst('client_assertion'));
  if (assertion === undefined || javaString(form.getFirst('client_assertion_type')) !== JWT_BEARER) return none();
  if (assertion.length > settings.maxAssertionLength) return refuse('the client assertion is too large');

  var claims = assertionPayload(assertion);
  if (claims === undefined) return refuse('the client assertion payload is not a JSON object');
  if (claims.sub !== clientId) return refuse('the client assertion subject is not the authenticated client');

  var act = claims.act;
  if (act === undefined) return none();
  if (!isObject(act)) return refuse('act in the client assertion is not an object');
  if (!isIdentifier(act.sub)) return refuse('act.sub in the client assertion is missing or invalid');

  var out = {};
  if (claims.delegation !== undefined) {
    out.delegation = delegationClaim(claims.delegation);
    if (out.delegation === undefined) {
      return refuse('delegation in the client assertion must be an object with method and granted_at');
    }
  }
  if (claims.agbac_ver !== undefined) {
    if (typeof claims.agbac_ver !== 'string' || !/^[0-9]{1,3}\.[0-9]{1,3}$/.test(claims.agbac_ver)) {
      return refuse('agbac_ver in the client assertion is invalid');
    }
    out.agbac_ver = claims.agbac_ver;
  }

  // The refusal lands in the token and in logs: name the human by id, never by an email address
  // a caller put in act.sub.
  var who = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(act.sub) ? 'a subject that looks like an email' : 'user ' + act.sub;
  var human = keycloakSession.users().getUserById(realm, act.sub);
  if (human === null || human === undefined) return refuse(who + ' does not exist');
  if (!human.isEnabled()) return refuse(who + ' is disabled');
  var role = realm.getRole(settings.humanRole);
  if (role === null || role === undefined || !human.hasRole(role)) {
    return refuse(who + ' lacks the role ' + settings.humanRole);
  }
  var approved = human.getAttributes().get(settings.approvedAgentsAttribute);
  if (approved === null || approved === undefined || !approved.contains(clientId)) {
    return refuse(who + ' has not approved agent ' + clientId);
  }

  var humanClaim = { sub: act.sub };
  var disclosed = ',' + String(settings.displayClaims || '').replace(/\s+/g, '') + ',';
  var email = javaString(human.getEmail());
  if (disclosed.indexOf(',email,') >= 0 && email !== undefined && email.length > 0) humanClaim.email = email;
  var name = [javaString(human.getFirstName()), javaString(human.getLastName())]
    .filter(function (part) {
      return part !== undefined && part.length > 0;
    })
    .join(' ');
  if (disclosed.indexOf(',name,') >= 0 && name.length > 0) humanClaim.name = name;
  out.act = humanClaim;
  return { kind: 'claims', claims: out };
})(token, realm, keycloakSession, typeof dualAuthSettingsOverride === 'undefined' ? undefined : dualAuthSettingsOverride);

(function (token, outcome) {
  // Keycloak serializes claim values with Jackson: hand it Java maps, not script objects.
  var HostMap = typeof Java === 'undefined' ? undefined : Java.type('java.util.LinkedHashMap');
  function hostValue(value) {
    if (HostMap === undefined || value === null || typeof value !== 'object') return value;
    var map = new HostMap();
    for (var name in value) map.put(name, hostValue(value[name]));
    return map;
  }
  if (outcome.kind === 'claims') {
    for (var claim in outcome.claims) token.setOtherClaims(claim, hostValue(outcome.claims[claim]));
  } else if (outcome.kind === 'refuse') {
    token.setOtherClaims('dual_auth_refusal', outcome.reason);
  }
})(token, dualAuthOutcome);
