output "agent_client_id" {
  description = "AGENT_CLIENT_ID for the agent."
  value       = auth0_client.agent.id
}

output "agent_client_secret" {
  description = "AGENT_CLIENT_SECRET (client_secret_post/basic); store it in your secrets backend."
  value       = auth0_client_credentials.agent.client_secret
  sensitive   = true
}

output "token_url" {
  description = "AUTH0_TOKEN_URL."
  value       = "https://${var.auth0_domain}/oauth/token"
}

output "api_audience" {
  description = "API_AUDIENCE (the agent sends it as audience)."
  value       = auth0_resource_server.api.identifier
}

output "act_claim" {
  description = "Where the verifier finds the human."
  value       = "${var.claim_namespace}act"
}

output "obo_agent_client_id" {
  description = "AGENT_CLIENT_ID in exchange mode (the Custom API client), or null."
  value       = var.obo_agent_api_identifier == null ? null : auth0_client.obo_agent[0].id
}

output "obo_agent_client_secret" {
  description = "AGENT_CLIENT_SECRET in exchange mode, or null; store it in your secrets backend."
  value       = var.obo_agent_api_identifier == null ? null : auth0_client_credentials.obo_agent[0].client_secret
  sensitive   = true
}
