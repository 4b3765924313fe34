# dual-auth on Microsoft Entra ID, hybrid mode (and exchange mode: the on-behalf-of flow). Entra adds no request-time claims to app-only
# tokens, so the agent gets a plain client-credentials token (agent = azp/oid, its app role in
# roles) and the human travels beside it in an X-Act-Assertion signed by the web application; the
# API verifies that assertion with the application's public key, registered here as a certificate
# credential of the web application's registration (APP_ID = its client id).
# Exchange mode: the agent app exposes an API (api://{agent client id}/access_as_user) that the web
# application, pre-authorized on it, requests the human's token for; the agent redeems that token
# on behalf of the human for the API's delegated scope, to which the agent has admin consent.
# Apply with the hashicorp/azuread provider (ARM_TENANT_ID and credentials allowed to create
# applications and grant app roles).

terraform {
  required_version = ">= 1.5"
  required_providers {
    azuread = {
      source  = "hashicorp/azuread"
      version = ">= 3.0.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.6.0"
    }
  }
}

provider "azuread" {}

data "azuread_client_config" "current" {}

resource "random_uuid" "agent_role" {}

resource "random_uuid" "human_role" {}

resource "random_uuid" "api_delegated_scope" {}

resource "random_uuid" "agent_access_scope" {}

# The API: app roles for agents (Application) and humans (User), v2 access tokens. A v2 token's aud
# is always this application's client id (output api_audience), whatever identifier URI the scope
# names; the idtyp optional claim is not requested (dual-auth does not need it).
resource "azuread_application" "api" {
  display_name     = "dual-auth API"
  identifier_uris  = [var.api_identifier_uri]
  sign_in_audience = "AzureADMyOrg"
  owners           = [data.azuread_client_config.current.object_id]

  api {
    requested_access_token_version = 2

    # The delegated permission an agent gets on behalf of a human (exchange mode: its scp).
    oauth2_permission_scope {
      admin_consent_description  = "Lets a dual-auth agent call the API on behalf of the signed-in human"
      admin_consent_display_name = "Call the dual-auth API as the human"
      enabled                    = true
      id                         = random_uuid.api_delegated_scope.result
      type                       = "Admin"
      value                      = var.api_delegated_scope_value
    }
  }

  app_role {
    allowed_member_types = ["Application"]
    description          = "AI agents approved to act for humans through dual-auth"
    display_name         = "dual-auth agent"
    enabled              = true
    id                   = random_uuid.agent_role.result
    value                = var.agent_role_value
  }

  app_role {
    allowed_member_types = ["User"]
    description          = "Humans who may delegate to dual-auth agents"
    display_name         = "dual-auth human"
    enabled              = true
    id                   = random_uuid.human_role.result
    value                = var.human_role_value
  }
}

resource "azuread_service_principal" "api" {
  client_id                    = azuread_application.api.client_id
  app_role_assignment_required = true
  owners                       = [data.azuread_client_config.current.object_id]
}

# The agent: asks for {api_identifier_uri}/.default with a certificate assertion (private_key_jwt,
# header x5t#S256; Entra has no client_secret_jwt).
resource "azuread_application" "agent" {
  display_name     = "dual-auth agent"
  sign_in_audience = "AzureADMyOrg"
  owners           = [data.azuread_client_config.current.object_id]

  required_resource_access {
    resource_app_id = azuread_application.api.client_id

    resource_access {
      id   = random_uuid.agent_role.result
      type = "Role"
    }

    resource_access {
      id   = random_uuid.api_delegated_scope.result
      type = "Scope"
    }
  }

  # Exchange mode: the API the web application requests the human's token for (its aud is the
  # agent, as the on-behalf-of flow requires of the assertion).
  api {
    requested_access_token_version = 2

    oauth2_permission_scope {
      admin_consent_description  = "Lets the web application hand the agent a token of the signed-in human"
      admin_consent_display_name = "Access the dual-auth agent as the human"
      enabled                    = true
      id                         = random_uuid.agent_access_scope.result
      type                       = "User"
      user_consent_description   = "Lets the application hand the agent your token, for the agent to act for you"
      user_consent_display_name  = "Let the agent act for you"
      value                      = "access_as_user"
    }
  }

  # The identifier URI is azuread_application_identifier_uri.agent (it names this client id).
  lifecycle {
    ignore_changes = [identifier_uris]
  }
}

resource "azuread_application_identifier_uri" "agent" {
  application_id = azuread_application.agent.id
  identifier_uri = "api://${azuread_application.agent.client_id}"
}

resource "azuread_application_certificate" "agent" {
  application_id = azuread_application.agent.id
  type           = "AsymmetricX509Cert"
  value          = var.agent_certificate_pem
  end_date       = var.certificate_end_date
}

resource "azuread_service_principal" "agent" {
  client_id = azuread_application.agent.client_id
  owners    = [data.azuread_client_config.current.object_id]
}

# Pre-approval of the agent (admin consent of the app role): without it Entra refuses the token
# request (AADSTS501051) or issues a token without the role.
resource "azuread_app_role_assignment" "agent_api" {
  app_role_id         = random_uuid.agent_role.result
  principal_object_id = azuread_service_principal.agent.object_id
  resource_object_id  = azuread_service_principal.api.object_id
}

# Exchange mode: admin consent of the agent's delegated permission on the API for every user;
# without it the on-behalf-of request is AADSTS65001 (consent_required).
resource "azuread_service_principal_delegated_permission_grant" "agent_api" {
  service_principal_object_id          = azuread_service_principal.agent.object_id
  resource_service_principal_object_id = azuread_service_principal.api.object_id
  claim_values                         = [var.api_delegated_scope_value]
}

# Exchange mode: the web application may request access_as_user of the agent without a consent prompt.
resource "azuread_application_pre_authorized" "web_app_agent" {
  application_id       = azuread_application.agent.id
  authorized_client_id = azuread_application.web_app.client_id
  permission_ids       = [random_uuid.agent_access_scope.result]
}

# The web application that signs act assertions for the human. Its certificate credential carries
# the public half of the act-signing key, so the key is inventoried (and expires) in Entra ID; the
# API is configured with the same public key and trusts assertions whose iss is this client id.
resource "azuread_application" "web_app" {
  display_name     = "dual-auth web application"
  sign_in_audience = "AzureADMyOrg"
  owners           = [data.azuread_client_config.current.object_id]
}

resource "azuread_application_certificate" "web_app_act_signing" {
  application_id = azuread_application.web_app.id
  type           = "AsymmetricX509Cert"
  value          = var.app_signing_certificate_pem
  end_date       = var.certificate_end_date
}

resource "azuread_service_principal" "web_app" {
  client_id = azuread_application.web_app.client_id
  owners    = [data.azuread_client_config.current.object_id]
}
