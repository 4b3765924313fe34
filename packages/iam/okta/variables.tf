variable "api_audience" {
  description = "Audience of the authorization server (the aud of agent tokens), e.g. api://dual-auth-finance."
  type        = string
}

variable "api_scopes" {
  description = "Custom scopes the agent may request; Okta requires a scope on every client-credentials request."
  type        = list(string)
  default     = ["finance.read"]
}

variable "agent_label" {
  description = "Label of the agent's service application."
  type        = string
  default     = "dual-auth agent"
}

variable "agent_public_jwk" {
  description = "The agent's public RSA key as a JWK (kid, n, e) for private_key_jwt, e.g. from `dual-auth keygen --alg RS256`."
  type = object({
    kid = string
    n   = string
    e   = string
  })
}

variable "agent_roles" {
  description = "Roles of the agent beyond its scopes, put in its tokens as the agent_roles claim (empty: none; the API then checks scopes, which the verifier also reads as roles)."
  type        = list(string)
  default     = []
}

variable "token_exchange" {
  description = "Exchange mode (DUAL_AUTH_MODE=exchange): give the agent's service app Okta's On-Behalf-Of Token Exchange grant and a policy rule for it. Needs API Access Management and the OAuth 2.0 On-Behalf-Of Token Exchange feature of the org."
  type        = bool
  default     = false
}
