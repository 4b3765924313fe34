import { stat } from 'node:fs/promises';
import {
  ACT_ASSERTION_TYPE,
  accessTokenHash,
  ConfigurationError,
  type DualAuthConfig,
  type IdpAdapter,
  isDualAuthError,
  SecretsBackendError,
  type TokenRequestError,
  type TokenResponse,
} from '@dual-auth/core';
import type { HybridSender } from '@dual-auth/sender';
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';
import { type ExitCode, exitCodes } from './exit-codes.ts';
import {
  agbacHumanClaim,
  environmentWithEnvFile,
  loadAppConfig,
  probeAdapter,
} from './internal/app-config.ts';
import { checkHumanPolicy, doctorHumanPolicyValues } from './internal/check-human-policy.ts';
import { checkReachable } from './internal/check-reachable.ts';
import { checkVerifier } from './internal/doctor/verifier-check.ts';
import { audienceMismatch, audiencesOf, issuerMismatch } from './internal/claim-mismatch.ts';
import {
  type Command,
  type CommandContext,
  parseCommandArgs,
  trustCaFile,
  writeJson,
} from './internal/command-context.ts';
import { diagnoseTokenRefusal } from './internal/diagnose-token-refusal.ts';
import { Checklist, type DoctorCheck, errorText } from './internal/doctor-checklist.ts';
import { entraAudienceFix } from './internal/entra-audience-fix.ts';
import { FetchJsonError, fetchJson } from './internal/fetch-json.ts';
import { type HumanPolicyValues, humanPolicyOptions } from './internal/human-policy.ts';
import { networkFailureFixes } from './internal/network-failure.ts';
import { saveToken } from './internal/save-token.ts';
import { tokenUrlExample, tokenUrlSettings, vendorEndpoints } from './internal/vendor-endpoints.ts';

const help = `Usage: dual-auth doctor --human ID [human policy] [--dotenv FILE] [--vendor V] [--secrets-backend B] [--save-token FILE] [--json]

Checks an agent's dual-auth setup end to end, loading the configuration exactly as the application
does (getConfig(): DUAL_AUTH_VENDOR, DUAL_AUTH_SECRETS_BACKEND and every setting, through the
configured secrets backend), then:
  1. configuration loads             6. adapter accepts it; the human policy (how the API checks the human)
  2. discovery matches the token URL 7. a token for the test human (the vendor adapter, as the agent)
  3. JWKS has signing keys           8. token signature, issuer, audience; the human where the mode puts it
  4. API_URL and AGENT_ENDPOINT      9. the verifier (as the API would, with that human policy) allows it
     answer HTTP (when set)
  5. application key (hybrid mode, or APP_PRIVATE_KEY_PATH)
Each failed check names the fault and the fix.

Options:
  --human ID             IAM user id of an approved test human (or DUAL_AUTH_DOCTOR_HUMAN); without it
                         steps 7-9 cannot run, and doctor fails saying so (no_test_human)
  --dotenv FILE          read settings from a .env file (over the environment)
  --vendor V             override DUAL_AUTH_VENDOR
  --secrets-backend B    override DUAL_AUTH_SECRETS_BACKEND
  --save-token FILE      write the token it gets (hybrid: also FILE.act-assertion), mode 0600, for
                         "dual-auth inspect" and "dual-auth verify --from-config"
  --ca-file FILE         trust this PEM CA too (or set NODE_EXTRA_CA_CERTS)
                         (NODE_EXTRA_CA_CERTS only, before Node.js 24.5: exit 2)
  --json                 {ok, checks:[{id, status, title, detail, fault, fix}]}
  -h, --help             this help
Human policy (as the API checks the human; hybrid mode fails without one, agbac warns and trusts the IdP):
  --humans FILE          the API's human authorizer: JSON map of IAM user id -> {"roles": [...],
                         "agents": [...] | "*"} (or DUAL_AUTH_DOCTOR_HUMANS)
  --human-role R         roles the human must hold, repeatable (or DUAL_AUTH_DOCTOR_HUMAN_ROLES, space separated)
  --human-roles-claim C  claim in the human's object listing the human's roles
  --human-authorized-by-idp  trust the IdP's check of the human (agbac only; or
                         DUAL_AUTH_DOCTOR_HUMAN_AUTHORIZED_BY_IDP=true)

Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 bad usage, 3 unreadable file.`;

const humanFixes = {
  act_mapper_missing:
    "Keycloak did not copy the human into the token: deploy dual-auth's act mapper (the script-mapper JAR in providers/, Keycloak started with --features=scripts) and add it to the agent client's dedicated scope (docs/iam/keycloak.md)",
  auth0_action_missing:
    "Auth0 did not add the human: deploy dual-auth's credentials-exchange Action and bind it to the Machine to Machine flow (Actions > Flows), and make AUTH0_ACT_CLAIM the claim it writes (docs/iam/auth0.md)",
} as const;

function secretSource(config: DualAuthConfig): string {
  return `read through the ${config.secretsBackend} secrets backend`;
}

async function loadConfig(
  checks: Checklist,
  environment: Record<string, string | undefined>,
  overrides: { vendor?: string | undefined; secretsBackend?: string | undefined },
): Promise<DualAuthConfig | undefined> {
  const title = 'configuration loads (getConfig)';
  try {
    const { config, fallback } = await loadAppConfig(environment, overrides);
    const detail = `vendor ${config.vendor}, secrets backend ${config.secretsBackend}, agent ${config.clientId}`;
    if (fallback) {
      checks.warn(
        'config',
        title,
        `${detail} (the vendor or backend package was loaded from the CLI's own install, not from the working directory)`,
        'install the adapter and secrets backend packages in the application, and run doctor from its directory',
      );
    } else checks.pass('config', title, detail);
    return config;
  } catch (error) {
    if (error instanceof SecretsBackendError) {
      checks.fail(
        'config',
        title,
        'secrets_backend',
        error.message,
        `the ${error.backend} secrets backend could not read${error.secretName === undefined ? '' : ` "${error.secretName}"`}: check the secret exists under that name (prefix + key), and the backend's credentials and permissions`,
      );
    } else if (error instanceof ConfigurationError) {
      checks.fail(
        'config',
        title,
        /is not installed/.test(error.message) ? 'package_missing' : 'config_invalid',
        error.message,
        error.setting === undefined
          ? 'see the message'
          : `set ${error.setting} (in the environment or secrets backend)`,
      );
    } else throw error;
    return undefined;
  }
}

interface IdpMetadata {
  readonly issuer: string;
  readonly jwks: JSONWebKeySet;
  readonly jwksUri: string;
}

/** The fix for an unreadable discovery document: trust the CA, fix the network, or the token URL. */
function discoveryFix(error: unknown, config: DualAuthConfig): string {
  if (error instanceof FetchJsonError && error.failure !== undefined && error.failure !== 'other')
    return networkFailureFixes[error.failure];
  if (error instanceof FetchJsonError && error.status === 404)
    return `the realm / tenant / authorization server in ${tokenUrlSettings[config.vendor]} is probably wrong: copy the token URL from the IdP`;
  return 'check the host, realm / tenant / authorization server in the token URL, DNS, proxies and TLS trust';
}

async function checkDiscovery(checks: Checklist, config: DualAuthConfig): Promise<IdpMetadata | undefined> {
  const expected = vendorEndpoints(config.vendor, config.tokenUrl);
  if (expected === undefined) {
    checks.fail(
      'token-url',
      'token URL has the vendor shape',
      'token_url_shape',
      `${config.tokenUrl} is not a ${config.vendor} token endpoint`,
      `use ${tokenUrlExample(config.vendor)}`,
    );
    return undefined;
  }
  checks.pass('token-url', 'token URL has the vendor shape', config.tokenUrl);
  let discovery: Record<string, unknown>;
  try {
    discovery = await fetchJson(expected.discoveryUrl);
  } catch (error) {
    checks.fail(
      'discovery',
      'discovery document',
      'url_unreachable',
      errorText(error),
      discoveryFix(error, config),
    );
    return undefined;
  }
  const issuer = typeof discovery.issuer === 'string' ? discovery.issuer : undefined;
  const tokenEndpoint = discovery.token_endpoint;
  const jwksUri = typeof discovery.jwks_uri === 'string' ? discovery.jwks_uri : undefined;
  const problems: string[] = [];
  if (issuer === undefined) problems.push('no issuer');
  else if (issuer !== expected.issuer && config.vendor !== 'entraid') {
    problems.push(`issuer is ${issuer}, expected ${expected.issuer}`);
  }
  if (tokenEndpoint !== config.tokenUrl) {
    problems.push(
      `token_endpoint is ${String(tokenEndpoint)}, the configured token URL is ${config.tokenUrl}`,
    );
  }
  if (jwksUri === undefined) problems.push('no jwks_uri');
  if (problems.length > 0 || issuer === undefined || jwksUri === undefined) {
    checks.fail(
      'discovery',
      'discovery document',
      'discovery_mismatch',
      problems.join('; '),
      'the token URL does not belong to this issuer: copy it from the discovery document',
    );
    return undefined;
  }
  checks.pass('discovery', 'discovery document', `issuer ${issuer}`);
  let jwks: Record<string, unknown>;
  try {
    jwks = await fetchJson(jwksUri);
  } catch (error) {
    checks.fail(
      'jwks',
      'JWKS',
      'url_unreachable',
      errorText(error),
      'the JWKS must be reachable by every API',
    );
    return undefined;
  }
  const keys = Array.isArray(jwks.keys)
    ? (jwks.keys as Record<string, unknown>[]).filter(
        (key) => typeof key === 'object' && key !== null && typeof key.kty === 'string' && key.use !== 'enc',
      )
    : [];
  if (keys.length === 0) {
    checks.fail(
      'jwks',
      'JWKS',
      'jwks_invalid',
      `${jwksUri} lists no signing key`,
      'check the IdP has an active signing key',
    );
    return undefined;
  }
  checks.pass('jwks', 'JWKS', `${keys.length} signing key${keys.length === 1 ? '' : 's'} at ${jwksUri}`);
  return { issuer, jwks: { keys: keys as JSONWebKeySet['keys'] }, jwksUri };
}

async function checkAppKey(
  checks: Checklist,
  config: DualAuthConfig,
  mode: 'agbac' | 'hybrid',
): Promise<HybridSender | undefined | false> {
  const title = 'application key (signs act JWTs and act assertions)';
  if (mode !== 'hybrid' && config.appPrivateKeyPath === undefined) {
    checks.skip('app-key', title, 'not used in agbac mode without APP_PRIVATE_KEY_PATH');
    return undefined;
  }
  try {
    const { createSenderFromConfig } = await import('@dual-auth/sender');
    const sender = await createSenderFromConfig(config);
    const path = config.appPrivateKeyPath as string;
    const fileMode = (await stat(path)).mode & 0o777;
    if ((fileMode & 0o077) !== 0) {
      checks.warn(
        'app-key',
        title,
        `${path} is readable by group or others (mode ${fileMode.toString(8)})`,
        `chmod 600 ${path}`,
      );
    } else
      checks.pass(
        'app-key',
        title,
        `${await sender.signingAlgorithm()} key at ${path}, issuer ${config.appId}`,
      );
    return sender;
  } catch (error) {
    const setting = error instanceof ConfigurationError ? error.setting : undefined;
    checks.fail(
      'app-key',
      title,
      'app_key',
      errorText(error),
      `${setting === undefined ? 'set APP_PRIVATE_KEY_PATH and APP_ID' : `fix ${setting}`}; "dual-auth keygen" creates a key pair`,
    );
    return false;
  }
}

function checkHumanInToken(
  checks: Checklist,
  config: DualAuthConfig,
  adapter: IdpAdapter,
  payload: JWTPayload,
  human: string,
): string | undefined {
  const title = 'the human is in the token (agbac mode)';
  const claim = agbacHumanClaim(config, adapter);
  const act = payload[claim] as { sub?: unknown } | undefined;
  const refusal = payload.dual_auth_refusal;
  if (act === undefined && typeof refusal === 'string') {
    // Keycloak's script mapper cannot fail a token request: it refuses the human by issuing the
    // token without act and with dual_auth_refusal (packages/iam/keycloak/dual-auth-act-mapper.js).
    const human = /(does not exist|is disabled|lacks the role|has not approved agent)/.test(refusal);
    checks.fail(
      'human',
      title,
      human ? 'human_not_approved' : 'act_mapper_missing',
      `the act mapper refused the human: the token has no ${claim}, and dual_auth_refusal says "${refusal}"`,
      human
        ? 'pick a test human (--human) who has the human role and approved this agent, or grant the role and record the approval (dual_auth_approved_agents); an agent nobody approved needs an approval first'
        : 'the client assertion the agent sent was refused: report this if the sender and the mapper are both dual-auth',
    );
    return undefined;
  }
  if (act === undefined) {
    const fault = config.vendor === 'auth0' ? 'auth0_action_missing' : 'act_mapper_missing';
    checks.fail(
      'human',
      title,
      config.vendor === 'keycloak' || config.vendor === 'auth0' ? fault : 'human_missing',
      `the token has no ${claim} claim`,
      config.vendor === 'keycloak' || config.vendor === 'auth0'
        ? humanFixes[fault]
        : `${config.vendor} cannot add request-time claims: set DUAL_AUTH_MODE=hybrid`,
    );
    return undefined;
  }
  if (act.sub !== human) {
    checks.fail(
      'human',
      title,
      'human_missing',
      `${claim}.sub is ${String(act.sub)}, not the requested human`,
      'the mapper or Action must copy the human from the request, never a fixed value',
    );
    return undefined;
  }
  const namespace = claim.slice(0, -'act'.length);
  const delegation = payload[`${namespace}delegation`] as { method?: unknown } | undefined;
  const version = payload[`${namespace}agbac_ver`];
  if (typeof delegation?.method !== 'string' || version === undefined) {
    checks.fail(
      'human',
      title,
      config.vendor === 'auth0' ? 'auth0_action_missing' : 'act_mapper_missing',
      `${claim}.sub is the test human, but ${typeof delegation?.method === 'string' ? '' : `${namespace}delegation `}${version === undefined ? `${namespace}agbac_ver ` : ''}is missing`,
      `${config.vendor === 'auth0' ? humanFixes.auth0_action_missing : humanFixes.act_mapper_missing} (an older version copies act only)`,
    );
    return undefined;
  }
  checks.pass(
    'human',
    title,
    `${claim}.sub is the test human, delegation ${delegation.method}, agbac_ver ${String(version)}`,
  );
  return claim;
}

async function checkActAssertion(
  checks: Checklist,
  config: DualAuthConfig,
  tokenResponse: TokenResponse,
  payload: JWTPayload,
  sender: HybridSender,
  human: string,
): Promise<boolean> {
  const title = 'the human is in the act assertion (hybrid mode)';
  if (payload.act !== undefined) {
    checks.fail(
      'human',
      title,
      'act_assertion_invalid',
      'the access token itself carries act, which a hybrid-mode API refuses',
      'remove the act mapper or Action from this client, or set DUAL_AUTH_MODE=agbac',
    );
    return false;
  }
  const assertion = tokenResponse.actAssertion;
  if (assertion === undefined) {
    checks.fail(
      'human',
      title,
      'act_assertion_invalid',
      'no act assertion was produced',
      'set APP_PRIVATE_KEY_PATH and APP_ID',
    );
    return false;
  }
  try {
    const { payload: claims } = await jwtVerify(
      assertion,
      createLocalJWKSet((await sender.publicJwks()) as unknown as JSONWebKeySet),
      { issuer: config.appId as string, audience: config.audience as string, typ: ACT_ASSERTION_TYPE },
    );
    const problems: string[] = [];
    if (claims.ath !== (await accessTokenHash(tokenResponse.accessToken)))
      problems.push('ath does not match the token');
    if (claims.client_id !== config.clientId) problems.push('client_id is not the agent');
    if ((claims.act as { sub?: unknown } | undefined)?.sub !== human)
      problems.push('act.sub is not the test human');
    if (problems.length > 0) {
      checks.fail(
        'human',
        title,
        'act_assertion_invalid',
        problems.join('; '),
        'report this: the sender and adapter disagree',
      );
      return false;
    }
  } catch (error) {
    checks.fail(
      'human',
      title,
      'act_assertion_invalid',
      errorText(error),
      'APP_PUBLIC_KEY_PATH / the JWKS the API trusts must match APP_PRIVATE_KEY_PATH, and APP_ID be the issuer it expects',
    );
    return false;
  }
  checks.pass(
    'human',
    title,
    'signed by the application key, bound to this token and agent, act.sub is the test human',
  );
  return true;
}

async function runChecks(
  checks: Checklist,
  context: CommandContext,
  environment: Record<string, string | undefined>,
  options: {
    human: string | undefined;
    vendor: string | undefined;
    secretsBackend: string | undefined;
    saveToken: string | undefined;
    humanPolicy: HumanPolicyValues;
  },
): Promise<void> {
  const config = await loadConfig(checks, environment, options);
  if (config === undefined) return;
  const metadata = await checkDiscovery(checks, config);
  await checkReachable(checks, config);

  let mode: 'agbac' | 'hybrid' = 'agbac';
  let adapter: IdpAdapter | undefined;
  let sender: HybridSender | undefined | false;
  try {
    // Constructed once without a signer to learn the mode; hybrid mode then needs the app key.
    const { AdapterClass, probe, mode: probedMode } = await probeAdapter(config);
    mode = probedMode;
    sender = await checkAppKey(checks, config, mode);
    if (mode === 'hybrid' && sender === undefined) sender = false;
    if (mode === 'hybrid' && sender === false) {
      checks.skip('adapter', `${config.vendor} adapter`, 'needs the application key (hybrid mode)');
    } else {
      adapter =
        mode === 'hybrid' && sender
          ? new AdapterClass(config, {
              signActAssertion: sender.createActAssertionSigner(
                config.audience === undefined ? {} : { audience: config.audience },
              ),
            })
          : (probe ?? new AdapterClass(config, {}));
      checks.pass(
        'adapter',
        `${config.vendor} adapter`,
        `${adapter.mode} mode, ${(adapter as IdpAdapter & { authMethod?: string }).authMethod ?? 'default'} client authentication`,
      );
    }
  } catch (error) {
    const setting = error instanceof ConfigurationError ? error.setting : undefined;
    checks.fail(
      'adapter',
      `${config.vendor} adapter`,
      'config_invalid',
      errorText(error),
      setting === undefined ? 'see the message' : `fix ${setting}`,
    );
  }

  const humanPolicy = await checkHumanPolicy(checks, context, options.humanPolicy, mode);
  const human = options.human;
  const tokenTitle = 'token for the test human';
  if (human === undefined) {
    // Without a human, the token request, the human's place in it and the verifier's decision are
    // unchecked: reporting the setup as OK would claim what was never tried.
    checks.fail(
      'token',
      tokenTitle,
      'no_test_human',
      'no test human given, so the token request, the human in the token and the verifier (steps 7-9) were not checked',
      'pass --human <IAM user id> (or DUAL_AUTH_DOCTOR_HUMAN) of a human who approved this agent',
    );
    return;
  }
  if (adapter === undefined || metadata === undefined) {
    checks.skip('token', tokenTitle, 'skipped: an earlier check failed');
    return;
  }
  let tokenResponse: TokenResponse;
  try {
    tokenResponse = await adapter.requestToken({
      agentId: config.clientId,
      act: { sub: human },
      ...(config.scope === undefined ? {} : { scope: config.scope }),
    });
  } catch (error) {
    if (!isDualAuthError(error, 'ERR_TOKEN_REQUEST')) {
      checks.fail('token', tokenTitle, 'config_invalid', errorText(error), 'see the message');
      return;
    }
    const diagnosis = diagnoseTokenRefusal(error as TokenRequestError, config.vendor, secretSource(config));
    checks.fail('token', tokenTitle, diagnosis.fault, diagnosis.detail, diagnosis.fix);
    return;
  }
  checks.pass('token', tokenTitle, `issued, expires in ${tokenResponse.expiresIn ?? '?'} s`);
  if (options.saveToken !== undefined) await saveToken(checks, context, options.saveToken, tokenResponse);

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(tokenResponse.accessToken, createLocalJWKSet(metadata.jwks), {
      issuer: metadata.issuer,
    }));
  } catch (error) {
    checks.fail(
      'signature',
      'token signature and issuer',
      'token_invalid',
      (error as { claim?: unknown }).claim === 'iss'
        ? issuerMismatch(decodeJwt(tokenResponse.accessToken).iss, metadata.issuer, 'the discovery issuer')
        : errorText(error),
      'the token is not signed by a key in the JWKS, or its iss differs from the discovery issuer (a proxy or frontend URL setting?)',
    );
    return;
  }
  checks.pass(
    'signature',
    'token signature and issuer',
    `signed by a key in the JWKS, iss ${metadata.issuer}`,
  );

  const audiences = audiencesOf(payload.aud);
  const audienceTitle = 'token audience is API_AUDIENCE';
  if (config.audience === undefined) {
    checks.warn(
      'audience',
      audienceTitle,
      `API_AUDIENCE is not set; the token's aud is ${audiences.join(', ') || 'missing'}`,
      (config.vendor === 'entraid' ? entraAudienceFix(payload.aud, undefined, 'API_AUDIENCE') : undefined) ??
        'set API_AUDIENCE to the API identifier the API checks',
    );
  } else if (!audiences.includes(config.audience)) {
    checks.fail(
      'audience',
      audienceTitle,
      'wrong_audience',
      `${audienceMismatch(payload.aud, config.audience, 'API_AUDIENCE')}: the API would refuse it`,
      config.vendor === 'keycloak'
        ? 'add an Audience mapper on the agent client for the API identifier, or set API_AUDIENCE to the aud the realm issues'
        : ((config.vendor === 'entraid'
            ? entraAudienceFix(payload.aud, config.audience, 'API_AUDIENCE')
            : undefined) ?? 'set API_AUDIENCE to the API identifier the IdP issues tokens for'),
    );
  } else checks.pass('audience', audienceTitle, config.audience);

  let humanClaim: string | undefined;
  if (mode === 'agbac') {
    humanClaim = checkHumanInToken(checks, config, adapter, payload, human);
    if (humanClaim === undefined) return;
  } else if (!sender || !(await checkActAssertion(checks, config, tokenResponse, payload, sender, human)))
    return;

  const verifierTitle = 'the verifier allows it (as the API would)';
  if (config.audience === undefined || !audiences.includes(config.audience)) {
    checks.skip('verifier', verifierTitle, 'skipped: the audience check failed');
    return;
  }
  if (humanPolicy === undefined) {
    checks.skip('verifier', verifierTitle, 'skipped: no human policy to check the human with');
    return;
  }
  await checkVerifier(checks, {
    config: { ...config, audience: config.audience },
    issuer: metadata.issuer,
    jwks: metadata.jwks,
    mode,
    humanClaim,
    sender: sender === false ? undefined : sender,
    tokenResponse,
    human: humanPolicy,
  });
}

async function run(argv: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { values } = parseCommandArgs(
    argv,
    {
      human: { type: 'string' },
      dotenv: { type: 'string' },
      vendor: { type: 'string' },
      'secrets-backend': { type: 'string' },
      'save-token': { type: 'string' },
      ...humanPolicyOptions,
    },
    false,
  );
  if (values.help) {
    context.out.write(`${help}\n`);
    return exitCodes.ok;
  }
  await trustCaFile(context, values['ca-file']);
  const environment = await environmentWithEnvFile(context, values['dotenv']);
  const checks = new Checklist(context, !values.json);
  await runChecks(checks, context, environment, {
    human: values.human ?? (environment.DUAL_AUTH_DOCTOR_HUMAN || undefined),
    vendor: values.vendor,
    secretsBackend: values['secrets-backend'],
    saveToken: values['save-token'],
    humanPolicy: doctorHumanPolicyValues(values, environment),
  });
  const ok = !checks.failed;
  if (values.json) writeJson(context, { ok, checks: checks.checks });
  else {
    const counts = (status: DoctorCheck['status']) =>
      checks.checks.filter((check) => check.status === status).length;
    const summary = `${counts('pass')} passed, ${counts('warn')} warnings, ${counts('fail')} failed, ${counts('skip')} skipped`;
    const failures = checks.checks.filter((check) => check.status === 'fail');
    const verdict = ok
      ? context.style.ok(`Setup OK (${summary})`)
      : failures.every((check) => check.fault === 'no_test_human')
        ? context.style.fail(`Setup not fully checked (${summary}): give a test human with --human`)
        : context.style.fail(`Setup has problems (${summary})`);
    context.out.write(`\n${verdict}\n`);
  }
  return ok ? exitCodes.ok : exitCodes.denied;
}

/** `dual-auth doctor`. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the IAM setup end to end, as the application loads it, and name each fault with its fix',
  help,
  run,
};
