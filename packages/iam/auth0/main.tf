# dual-auth on Auth0: the API, the agent (M2M application) and its client grant, the
# credentials-exchange Action that writes the human as namespaced claims, and the Action's binding.
# Apply with `terraform init && terraform apply` (auth0/auth0 provider; AUTH0_DOMAIN,
# AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET of a Management API application in the environment).

terraform {
  required_version = ">= 1.5"
  required_providers {
    auth0 = {
      source  = "auth0/auth0"
      version = ">= 1.7.0"
    }
  }
}

provider "auth0" {}

# The API the agent calls. RS256 access tokens; the verifier reads the namespaced claims. RBAC with
# "Add Permissions in the Access Token" (dialect access_token_authz) puts the client grant's scopes
# in `permissions` too, where the verifier reads the agent's roles (it falls back to `scope`).
resource "auth0_resource_server" "api" {
  name             = "dual-auth API"
  identifier       = var.api_identifier
  signing_alg      = "RS256"
  enforce_policies = true
  token_dialect    = "access_token_authz"
  # Agent tokens should live minutes, not the default 24 hours.
  token_lifetime       = 900
  allow_offline_access = false
}

resource "auth0_resource_server_scopes" "api" {
  resource_server_identifier = auth0_resource_server.api.identifier

  dynamic "scopes" {
    for_each = toset(var.api_scopes)
    content {
      name        = scopes.value
      description = "dual-auth scope ${scopes.value}"
    }
  }
}

# The agent. client_metadata.dual_auth_agent marks it as an approved agent for the Action.
resource "auth0_client" "agent" {
  name        = var.agent_name
  description = "AI agent acting for humans through dual-auth"
  app_type    = "non_interactive"
  grant_types = ["client_credentials"]

  client_metadata = {
    dual_auth_agent = "true"
  }

  jwt_configuration {
    alg = "RS256"
  }
}

resource "auth0_client_credentials" "agent" {
  client_id             = auth0_client.agent.id
  authentication_method = var.agent_authentication_method

  dynamic "private_key_jwt" {
    for_each = var.agent_authentication_method == "private_key_jwt" ? [1] : []
    content {
      credentials {
        name                   = "dual-auth agent key"
        credential_type        = "public_key"
        pem                    = var.agent_public_key_pem
        algorithm              = "RS256"
        parse_expiry_from_cert = false
      }
    }
  }
}

# Pre-approval of the agent: without a grant Auth0 refuses its token requests for the API. Its
# tokens' `scope` and `permissions` hold every one of these scopes, whatever the agent requests.
resource "auth0_client_grant" "agent_api" {
  client_id = auth0_client.agent.id
  audience  = auth0_resource_server.api.identifier
  scopes    = var.api_scopes
}

# The role humans need to delegate; assign it to users (auth0_user_roles or the dashboard) and list
# approved agents in each user's app_metadata.dual_auth.approved_agents.
resource "auth0_role" "human" {
  name        = var.human_role
  description = "May delegate to dual-auth agents"
}

# A Management API application for the Action's user and role look-ups (read only).
resource "auth0_client" "action_directory" {
  name        = "dual-auth Action directory reader"
  app_type    = "non_interactive"
  grant_types = ["client_credentials"]
}

resource "auth0_client_credentials" "action_directory" {
  client_id             = auth0_client.action_directory.id
  authentication_method = "client_secret_post"
}

resource "auth0_client_grant" "action_directory" {
  client_id = auth0_client.action_directory.id
  audience  = "https://${var.auth0_domain}/api/v2/"
  scopes    = ["read:users", "read:roles"]
}

# The credentials-exchange Action shipped in @dual-auth/iam.
resource "auth0_action" "dual_auth" {
  name    = "dual-auth credentials exchange"
  runtime = "node22"
  deploy  = true
  code    = file("${path.module}/credentials-exchange-action.cjs")

  supported_triggers {
    id      = "credentials-exchange"
    version = "v2"
  }

  secrets {
    name  = "API_IDENTIFIER"
    value = auth0_resource_server.api.identifier
  }

  secrets {
    name  = "HUMAN_ROLE"
    value = auth0_role.human.name
  }

  secrets {
    name  = "CLAIM_NAMESPACE"
    value = var.claim_namespace
  }

  secrets {
    name  = "AUTH0_DOMAIN"
    value = var.auth0_domain
  }

  secrets {
    name  = "DISPLAY_CLAIMS"
    value = var.act_display_claims
  }

  secrets {
    name  = "MANAGEMENT_CLIENT_ID"
    value = auth0_client.action_directory.id
  }

  secrets {
    name  = "MANAGEMENT_CLIENT_SECRET"
    value = auth0_client_credentials.action_directory.client_secret
  }
}

# The binding: without it the Action never runs and tokens carry no human. `auth0_trigger_action`
# (singular) appends this one Action to the trigger's flow and leaves the tenant's other Actions
# bound; the plural `auth0_trigger_actions` would own the whole flow and unbind them. Do not manage
# the credentials-exchange trigger with `auth0_trigger_actions` elsewhere as well.
resource "auth0_trigger_action" "credentials_exchange" {
  trigger      = "credentials-exchange"
  action_id    = auth0_action.dual_auth.id
  display_name = auth0_action.dual_auth.name
}

# On-Behalf-Of token exchange (DUAL_AUTH_MODE=exchange), created when obo_agent_api_identifier is
# set. Only a Custom API client may exchange a human's token: app_type resource_server, linked to the
# agent's own API by the same identifier, with the on_behalf_of_token_exchange profile; a
# user-delegated client grant (subject_type user) lets it obtain tokens for the finance API. The
# human's token must be issued for the agent's API. Sources:
# https://auth0.com/docs/secure/call-apis-on-users-behalf/on-behalf-of-token-exchange (Prerequisites)
# and the auth0/auth0 provider's auth0_client (resource_server_identifier, token_exchange) and
# auth0_client_grant (subject_type) documentation.
resource "auth0_resource_server" "obo_agent_api" {
  count            = var.obo_agent_api_identifier == null ? 0 : 1
  name             = "${var.agent_name} API"
  identifier       = var.obo_agent_api_identifier
  signing_alg      = "RS256"
  enforce_policies = true
  token_dialect    = "access_token_authz"
  token_lifetime   = 900
}

resource "auth0_client" "obo_agent" {
  count                      = var.obo_agent_api_identifier == null ? 0 : 1
  name                       = "${var.agent_name} (on-behalf-of)"
  description                = "AI agent exchanging humans' tokens (On-Behalf-Of Token Exchange) through dual-auth"
  app_type                   = "resource_server"
  is_first_party             = true
  oidc_conformant            = true
  resource_server_identifier = auth0_resource_server.obo_agent_api[0].identifier

  token_exchange {
    allow_any_profile_of_type = ["on_behalf_of_token_exchange"]
  }
}

resource "auth0_client_credentials" "obo_agent" {
  count                 = var.obo_agent_api_identifier == null ? 0 : 1
  client_id             = auth0_client.obo_agent[0].id
  authentication_method = "client_secret_post"
}

# The scopes the agent may obtain for the human; Auth0 issues those of them the human's roles give.
resource "auth0_client_grant" "obo_agent_api" {
  count        = var.obo_agent_api_identifier == null ? 0 : 1
  client_id    = auth0_client.obo_agent[0].id
  audience     = auth0_resource_server.api.identifier
  scopes       = var.api_scopes
  subject_type = "user"
}
