# dual-auth on Okta, hybrid mode: a custom authorization server issues a plain client-credentials
# token to the agent (agent = cid/sub); the human travels beside it in the application-signed
# X-Act-Assertion, which the API verifies with the application's public key. Okta has no verified
# way to copy request data (the seed's clientAssertion.claims.act) into a client-credentials token.
# Apply with the okta/okta provider (OKTA_ORG_NAME, OKTA_BASE_URL, OKTA_API_TOKEN or OAuth for the
# provider in the environment).
# With -var token_exchange=true the agent may also exchange a human's access token (exchange mode,
# Okta's On-Behalf-Of Token Exchange; docs/iam/okta.md, "Token exchange").

terraform {
  required_version = ">= 1.5"
  required_providers {
    okta = {
      source  = "okta/okta"
      version = ">= 4.8.0"
    }
  }
}

provider "okta" {}

# Custom authorization server: issuer https://{domain}/oauth2/{id}, token {issuer}/v1/token,
# keys {issuer}/v1/keys. (The org server issues tokens for Okta's own APIs only.)
resource "okta_auth_server" "dual_auth" {
  name        = "dual-auth"
  description = "Agent tokens for dual-auth (hybrid mode)"
  audiences   = [var.api_audience]
  issuer_mode = "ORG_URL"
  status      = "ACTIVE"
}

resource "okta_auth_server_scope" "api" {
  for_each = toset(var.api_scopes)

  auth_server_id   = okta_auth_server.dual_auth.id
  name             = each.value
  description      = "dual-auth scope ${each.value}"
  consent          = "IMPLICIT"
  metadata_publish = "NO_CLIENTS"
  default          = false
}

# Exchange mode adds Okta's On-Behalf-Of Token Exchange grant, which a service app may hold beside
# client credentials (developer.okta.com/docs/guides/set-up-token-exchange, "Create a service app").
locals {
  agent_grant_types = var.token_exchange ? ["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"] : ["client_credentials"]
}

# The agent: a service application using private_key_jwt (assertion aud = the exact token URL).
resource "okta_app_oauth" "agent" {
  label                      = var.agent_label
  type                       = "service"
  grant_types                = local.agent_grant_types
  response_types             = ["token"]
  token_endpoint_auth_method = "private_key_jwt"
  pkce_required              = false
  # The agent's roles, optional: copied into its tokens by okta_auth_server_claim.agent_roles.
  profile = length(var.agent_roles) == 0 ? null : jsonencode({ agent_roles = var.agent_roles })

  jwks {
    kty = "RSA"
    kid = var.agent_public_jwk.kid
    n   = var.agent_public_jwk.n
    e   = var.agent_public_jwk.e
  }
}

# Pre-approval of the agent: only clients listed in a policy whose rule grants the scopes get tokens.
resource "okta_auth_server_policy" "agents" {
  auth_server_id   = okta_auth_server.dual_auth.id
  name             = "dual-auth agents"
  description      = "Agents approved to act for humans"
  priority         = 1
  status           = "ACTIVE"
  client_whitelist = [okta_app_oauth.agent.client_id]
}

resource "okta_auth_server_policy_rule" "agents_client_credentials" {
  auth_server_id       = okta_auth_server.dual_auth.id
  policy_id            = okta_auth_server_policy.agents.id
  name                 = "client credentials for approved agents"
  priority             = 1
  status               = "ACTIVE"
  grant_type_whitelist = ["client_credentials"]
  scope_whitelist      = [for scope in okta_auth_server_scope.api : scope.name]
  # Client credentials have no user: a rule limited to groups never matches them (Okta support,
  # "Access Policy rules with 'AND User is' filter do not apply to ... Client Credentials Flow").
  group_whitelist = ["EVERYONE"]

  access_token_lifetime_minutes = 15
}

# Exchange mode: the agent may exchange any user's access token from this server for the API's
# scopes (the guide's "API1 to API2" rule). Which human approved which agent stays the API's check.
resource "okta_auth_server_policy_rule" "agents_token_exchange" {
  count = var.token_exchange ? 1 : 0

  auth_server_id       = okta_auth_server.dual_auth.id
  policy_id            = okta_auth_server_policy.agents.id
  name                 = "token exchange for approved agents"
  priority             = 2
  status               = "ACTIVE"
  grant_type_whitelist = ["urn:ietf:params:oauth:grant-type:token-exchange"]
  scope_whitelist      = [for scope in okta_auth_server_scope.api : scope.name]
  group_whitelist      = ["EVERYONE"]

  access_token_lifetime_minutes = 15
}

# Agent roles beyond its scopes (optional). A client-credentials token has no user, so no groups
# claim applies; the API reads roles from scp, and from this claim with
# oktaVendorProfile({ rolesClaim: "agent_roles" }). `app` is the client asking for the token.
resource "okta_auth_server_claim" "agent_roles" {
  count = length(var.agent_roles) == 0 ? 0 : 1

  auth_server_id          = okta_auth_server.dual_auth.id
  name                    = "agent_roles"
  claim_type              = "RESOURCE"
  value_type              = "EXPRESSION"
  value                   = "app.profile.agent_roles"
  always_include_in_token = true
}
