output "tenant_id" {
  description = "The tenant: issuer https://login.microsoftonline.com/{tenant_id}/v2.0."
  value       = data.azuread_client_config.current.tenant_id
}

output "token_url" {
  description = "ENTRAID_TOKEN_URL (and the aud of the agent's client assertion)."
  value       = "https://login.microsoftonline.com/${data.azuread_client_config.current.tenant_id}/oauth2/v2.0/token"
}

output "api_scope" {
  description = "API_SCOPE: the only scope form Entra accepts for client credentials."
  value       = "${var.api_identifier_uri}/.default"
}

output "api_audience" {
  description = "API_AUDIENCE (and the verifier's audience): the API's Application (client) ID, which v2 tokens always carry as aud, never the identifier URI of api_scope."
  value       = azuread_application.api.client_id
}

output "agent_client_id" {
  description = "AGENT_CLIENT_ID (the token's azp)."
  value       = azuread_application.agent.client_id
}

output "agent_user_scope" {
  description = "Exchange mode: the scope the web application requests the human's token with (its aud is the agent), which the agent redeems on behalf of the human."
  value       = "api://${azuread_application.agent.client_id}/access_as_user"
}

output "app_id" {
  description = "APP_ID: iss of the act assertions the web application signs."
  value       = azuread_application.web_app.client_id
}
