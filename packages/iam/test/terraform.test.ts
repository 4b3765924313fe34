// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform interpolations
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { type IamArtefact, iamArtefactPath } from '../src/iam-artefact-path.ts';

type Blocks = Record<string, Record<string, Record<string, unknown>[]>>;
interface Module {
  resource: Blocks;
  variable?: Record<string, Record<string, unknown>[]>;
  output?: Record<string, Record<string, unknown>[]>;
  terraform?: { required_providers?: Record<string, { source: string }>[] }[];
  data?: Blocks;
}

const files = ['main.tf', 'variables.tf', 'outputs.tf'] as const;

async function load(vendor: 'auth0' | 'okta' | 'entraid'): Promise<Module> {
  const merged: Module = { resource: {} };
  for (const file of files) {
    const path = iamArtefactPath(`${vendor}/${file}` as IamArtefact);
    const parsed = (await parse(path, readFileSync(path, 'utf8'))) as Partial<Module>;
    for (const key of ['resource', 'data'] as const) {
      for (const [type, named] of Object.entries(parsed[key] ?? {})) {
        merged[key] ??= {};
        (merged[key] as Blocks)[type] = { ...(merged[key] as Blocks)[type], ...named };
      }
    }
    merged.variable = { ...merged.variable, ...parsed.variable };
    merged.output = { ...merged.output, ...parsed.output };
    if (parsed.terraform) merged.terraform = parsed.terraform;
  }
  return merged;
}

function one(module: Module, type: string, name: string): Record<string, unknown> {
  const block = module.resource[type]?.[name]?.[0];
  expect(block, `${type}.${name}`).toBeDefined();
  return block as Record<string, unknown>;
}

function providerSources(module: Module): string[] {
  return Object.values(module.terraform?.[0]?.required_providers?.[0] ?? {}).map(
    (provider) => provider.source,
  );
}

/** The configuration without its comments. */
function text(vendor: string): string {
  return files
    .map((file) => readFileSync(join(dirname(iamArtefactPath('okta/main.tf')), '..', vendor, file), 'utf8'))
    .join('\n')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
}

describe('Auth0 Terraform', () => {
  it('defines the API, the M2M agent, its client grant, the Action and its binding', async () => {
    const module = await load('auth0');
    expect(providerSources(module)).toEqual(['auth0/auth0']);
    // RBAC with "Add Permissions in the Access Token": the grant's scopes also in `permissions`
    // (https://auth0.com/docs/get-started/apis/enable-role-based-access-control-for-apis).
    expect(one(module, 'auth0_resource_server', 'api')).toMatchObject({
      signing_alg: 'RS256',
      enforce_policies: true,
      token_dialect: 'access_token_authz',
    });
    expect(one(module, 'auth0_client', 'agent')).toMatchObject({
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
      client_metadata: { dual_auth_agent: 'true' },
    });
    expect(one(module, 'auth0_client_grant', 'agent_api')).toMatchObject({
      client_id: '${auth0_client.agent.id}',
      audience: '${auth0_resource_server.api.identifier}',
    });
    const action = one(module, 'auth0_action', 'dual_auth');
    expect(action).toMatchObject({
      deploy: true,
      code: '${file("${path.module}/credentials-exchange-action.cjs")}',
      supported_triggers: [{ id: 'credentials-exchange', version: 'v2' }],
    });
    expect((action.secrets as { name: string }[]).map((secret) => secret.name).sort()).toEqual([
      'API_IDENTIFIER',
      'AUTH0_DOMAIN',
      'CLAIM_NAMESPACE',
      'DISPLAY_CLAIMS',
      'HUMAN_ROLE',
      'MANAGEMENT_CLIENT_ID',
      'MANAGEMENT_CLIENT_SECRET',
    ]);
    expect(existsSync(iamArtefactPath('auth0/credentials-exchange-action.cjs'))).toBe(true);
    // The singular binding appends the Action; the plural one would unbind the tenant's others.
    expect(one(module, 'auth0_trigger_action', 'credentials_exchange')).toMatchObject({
      trigger: 'credentials-exchange',
      action_id: '${auth0_action.dual_auth.id}',
    });
    expect(module.resource.auth0_trigger_actions).toBeUndefined();
    expect(one(module, 'auth0_client_grant', 'action_directory')).toMatchObject({
      scopes: ['read:users', 'read:roles'],
    });
  });

  it('offers only the client authentication methods Auth0 has (no client_secret_jwt)', async () => {
    const module = await load('auth0');
    const method = module.variable?.agent_authentication_method?.[0] as { default: string };
    expect(method.default).toBe('client_secret_post');
    expect(one(module, 'auth0_client_credentials', 'agent')).toMatchObject({
      authentication_method: '${var.agent_authentication_method}',
    });
    expect(text('auth0')).not.toMatch(/authentication_method\s*=\s*"client_secret_jwt"/);
  });

  it('creates an on-behalf-of Custom API client for exchange mode only when asked', async () => {
    // auth0.com/docs/secure/call-apis-on-users-behalf/on-behalf-of-token-exchange (Prerequisites):
    // app_type resource_server linked to the agent's API, the on_behalf_of_token_exchange profile,
    // and a user-delegated client grant for the API.
    const module = await load('auth0');
    expect(module.variable?.obo_agent_api_identifier?.[0]).toMatchObject({ default: null });
    expect(one(module, 'auth0_client', 'obo_agent')).toMatchObject({
      count: '${var.obo_agent_api_identifier == null ? 0 : 1}',
      app_type: 'resource_server',
      resource_server_identifier: '${auth0_resource_server.obo_agent_api[0].identifier}',
      token_exchange: [{ allow_any_profile_of_type: ['on_behalf_of_token_exchange'] }],
    });
    expect(one(module, 'auth0_client_grant', 'obo_agent_api')).toMatchObject({
      audience: '${auth0_resource_server.api.identifier}',
      subject_type: 'user',
    });
  });
});

describe('Okta Terraform (hybrid mode)', () => {
  it('defines the authorization server, scopes, a private_key_jwt service app, policy and rule', async () => {
    const module = await load('okta');
    expect(providerSources(module)).toEqual(['okta/okta']);
    expect(one(module, 'okta_auth_server', 'dual_auth')).toMatchObject({
      audiences: ['${var.api_audience}'],
    });
    expect(one(module, 'okta_auth_server_scope', 'api')).toMatchObject({
      for_each: '${toset(var.api_scopes)}',
      auth_server_id: '${okta_auth_server.dual_auth.id}',
    });
    expect(one(module, 'okta_app_oauth', 'agent')).toMatchObject({
      type: 'service',
      token_endpoint_auth_method: 'private_key_jwt',
    });
    expect(one(module, 'okta_auth_server_policy', 'agents')).toMatchObject({
      client_whitelist: ['${okta_app_oauth.agent.client_id}'],
    });
    expect(one(module, 'okta_auth_server_policy_rule', 'agents_client_credentials')).toMatchObject({
      grant_type_whitelist: ['client_credentials'],
    });
  });

  it('gives the service app the Token Exchange grant and a rule for it only with token_exchange', async () => {
    // A service app holds client_credentials and may hold the token-exchange grant
    // (okta/terraform-provider-okta resource_okta_app_oauth.go, appRequirementsByType "service");
    // the rule's grant_type_whitelist accepts it (docs/resources/auth_server_policy_rule.md).
    const module = await load('okta');
    expect(module.variable?.token_exchange?.[0]).toMatchObject({ type: '${bool}', default: false });
    expect(one(module, 'okta_app_oauth', 'agent').grant_types).toBe('${local.agent_grant_types}');
    expect(text('okta')).toContain(
      'var.token_exchange ? ["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"] : ["client_credentials"]',
    );
    expect(one(module, 'okta_auth_server_policy_rule', 'agents_token_exchange')).toMatchObject({
      count: '${var.token_exchange ? 1 : 0}',
      grant_type_whitelist: ['urn:ietf:params:oauth:grant-type:token-exchange'],
      group_whitelist: ['EVERYONE'],
    });
  });

  it('relies on no claim expression over the client assertion', () => {
    expect(text('okta')).not.toMatch(/clientAssertion\.claims/);
  });

  it('reads agent roles from no groups claim: only an optional claim from the agent app profile', async () => {
    // Client credentials have no user, so no groups (okta/okta-developer-docs,
    // docs/guides/implement-grant-type, Client Credentials); app.profile is the expression Okta
    // documents for app data in a custom claim (docs/guides/customize-tokens-returned-from-okta).
    const module = await load('okta');
    expect(Object.keys(module.resource.okta_auth_server_claim ?? {})).toEqual(['agent_roles']);
    expect(one(module, 'okta_auth_server_claim', 'agent_roles')).toMatchObject({
      count: '${length(var.agent_roles) == 0 ? 0 : 1}',
      claim_type: 'RESOURCE',
      value_type: 'EXPRESSION',
      value: 'app.profile.agent_roles',
    });
    expect(one(module, 'okta_app_oauth', 'agent').profile).toBe(
      '${length(var.agent_roles) == 0 ? null : jsonencode({ agent_roles = var.agent_roles })}',
    );
    expect(text('okta')).not.toMatch(/GROUPS|getGroups|Groups\./);
  });
});

describe('Entra ID Terraform (hybrid mode)', () => {
  it('defines the API with app roles, the agent with its role assignment, and the app signing key', async () => {
    const module = await load('entraid');
    expect(providerSources(module).sort()).toEqual(['hashicorp/azuread', 'hashicorp/random']);
    const api = one(module, 'azuread_application', 'api');
    expect(api).toMatchObject({
      identifier_uris: ['${var.api_identifier_uri}'],
      api: [{ requested_access_token_version: 2 }],
    });
    expect(
      (api.app_role as { allowed_member_types: string[]; value: string }[]).map(
        (role) => role.allowed_member_types,
      ),
    ).toEqual([['Application'], ['User']]);
    expect(one(module, 'azuread_application', 'agent')).toMatchObject({
      required_resource_access: [{ resource_access: [{ type: 'Role' }, { type: 'Scope' }] }],
    });
    expect(one(module, 'azuread_app_role_assignment', 'agent_api')).toMatchObject({
      app_role_id: '${random_uuid.agent_role.result}',
      principal_object_id: '${azuread_service_principal.agent.object_id}',
      resource_object_id: '${azuread_service_principal.api.object_id}',
    });
    expect(one(module, 'azuread_application_certificate', 'web_app_act_signing')).toMatchObject({
      type: 'AsymmetricX509Cert',
      value: '${var.app_signing_certificate_pem}',
    });
    expect(one(module, 'azuread_application_certificate', 'agent')).toMatchObject({
      type: 'AsymmetricX509Cert',
    });
    expect(module.output?.api_scope?.[0]).toMatchObject({ value: '${var.api_identifier_uri}/.default' });
    // v2 tokens carry the API's client id as aud, not the identifier URI (Microsoft's access token
    // claims reference, aud): API_AUDIENCE is the client id.
    expect(module.output?.api_audience?.[0]).toMatchObject({ value: '${azuread_application.api.client_id}' });
  });
});

describe('Entra ID Terraform (exchange mode: on-behalf-of)', () => {
  // learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow: the assertion's aud is
  // the agent app (it exposes an API), and the agent needs consent to the API's delegated scope
  // (else AADSTS65001) — admin consent here, and the web application is pre-authorized on the agent.
  it('exposes an API on the agent, pre-authorizes the web app and grants the agent the API scope', async () => {
    const module = await load('entraid');
    const api = one(module, 'azuread_application', 'api') as {
      api: { oauth2_permission_scope: unknown[] }[];
    };
    expect(api.api[0]?.oauth2_permission_scope).toEqual([
      expect.objectContaining({ value: '${var.api_delegated_scope_value}', type: 'Admin' }),
    ]);
    expect(one(module, 'azuread_application', 'agent')).toMatchObject({
      api: [
        {
          requested_access_token_version: 2,
          oauth2_permission_scope: [
            { value: 'access_as_user', id: '${random_uuid.agent_access_scope.result}' },
          ],
        },
      ],
    });
    expect(one(module, 'azuread_application_identifier_uri', 'agent')).toMatchObject({
      identifier_uri: 'api://${azuread_application.agent.client_id}',
    });
    expect(one(module, 'azuread_application_pre_authorized', 'web_app_agent')).toMatchObject({
      application_id: '${azuread_application.agent.id}',
      authorized_client_id: '${azuread_application.web_app.client_id}',
      permission_ids: ['${random_uuid.agent_access_scope.result}'],
    });
    expect(one(module, 'azuread_service_principal_delegated_permission_grant', 'agent_api')).toMatchObject({
      service_principal_object_id: '${azuread_service_principal.agent.object_id}',
      resource_service_principal_object_id: '${azuread_service_principal.api.object_id}',
      claim_values: ['${var.api_delegated_scope_value}'],
    });
    expect(module.output?.agent_user_scope?.[0]).toMatchObject({
      value: 'api://${azuread_application.agent.client_id}/access_as_user',
    });
  });
});

describe('the Terraform files', () => {
  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  it('are in canonical format (terraform fmt -check)', (context) => {
    if (terraform.status !== 0) {
      return context.skip(
        'terraform is not installed (no Debian package; its release site is unreachable here)',
      );
    }
    for (const vendor of ['auth0', 'okta', 'entraid']) {
      const result = spawnSync(
        'terraform',
        ['fmt', '-check', '-list=true', dirname(iamArtefactPath(`${vendor}/main.tf` as IamArtefact))],
        {
          encoding: 'utf8',
        },
      );
      expect(result.status, `${vendor}: ${result.stdout}`).toBe(0);
    }
  });

  it('every shipped artefact exists', () => {
    const artefacts: IamArtefact[] = [
      'keycloak/dual-auth-act-mapper.js',
      'keycloak/META-INF/keycloak-scripts.json',
      'keycloak/realm-import.json',
      'keycloak/pack-provider-jar.mjs',
      'auth0/credentials-exchange-action.cjs',
      ...(['auth0', 'okta', 'entraid'] as const).flatMap((vendor) =>
        files.map((file) => `${vendor}/${file}` as IamArtefact),
      ),
    ];
    for (const artefact of artefacts) expect(existsSync(iamArtefactPath(artefact)), artefact).toBe(true);
    expect(() => iamArtefactPath('../package.json' as IamArtefact)).toThrow(TypeError);
  });

  it('are all shipped: package.json files lists every vendor folder', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      files: string[];
    };
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'keycloak', 'auth0', 'okta', 'entraid']));
  });
});
