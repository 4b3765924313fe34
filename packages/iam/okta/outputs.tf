output "agent_client_id" {
  description = "AGENT_CLIENT_ID (also the token's cid and sub)."
  value       = okta_app_oauth.agent.client_id
}

output "issuer" {
  description = "Issuer the API validates."
  value       = okta_auth_server.dual_auth.issuer
}

output "token_url" {
  description = "OKTA_TOKEN_URL (and the aud of the agent's client assertion)."
  value       = "${okta_auth_server.dual_auth.issuer}/v1/token"
}

output "jwks_url" {
  description = "JWKS of the authorization server."
  value       = "${okta_auth_server.dual_auth.issuer}/v1/keys"
}

output "api_audience" {
  description = "API_AUDIENCE."
  value       = var.api_audience
}
