variable "auth0_domain" {
  description = "The tenant domain, e.g. example.eu.auth0.com (the Action's Management API look-ups go there)."
  type        = string
}

variable "api_identifier" {
  description = "Identifier (audience) of the API the agent calls, e.g. https://api.example.com/finance."
  type        = string
}

variable "api_scopes" {
  description = "Scopes (permissions) the API offers and the agent is granted. Every token of the agent carries all of them in scope and permissions, whatever it requests; the API's agent-role check reads them, so include the role it requires (e.g. FinanceAgent)."
  type        = list(string)
  default     = ["finance.read", "FinanceAgent"]
}

variable "agent_name" {
  description = "Display name of the agent's machine-to-machine application."
  type        = string
  default     = "dual-auth agent"
}

variable "human_role" {
  description = "Role a human must hold to delegate to the agent."
  type        = string
  default     = "FinanceUser"
}

variable "claim_namespace" {
  description = "Prefix of the Action's claims (Auth0 drops a plain act claim). Must end with /."
  type        = string
  default     = "https://dual-auth.dev/"
}

variable "agent_authentication_method" {
  description = "How the agent authenticates: client_secret_post, client_secret_basic, or private_key_jwt (Enterprise plans). Auth0 has no client_secret_jwt."
  type        = string
  default     = "client_secret_post"

  validation {
    condition     = contains(["client_secret_post", "client_secret_basic", "private_key_jwt"], var.agent_authentication_method)
    error_message = "Auth0 supports client_secret_post, client_secret_basic and private_key_jwt (no client_secret_jwt)."
  }
}

variable "agent_public_key_pem" {
  description = "With private_key_jwt: the agent's public key (PEM). Ignored otherwise."
  type        = string
  default     = ""
}

variable "act_display_claims" {
  description = "The human's claims the Action copies into act besides sub: \"\" (minimum disclosure), \"email\", \"name\" or \"email,name\"."
  type        = string
  default     = ""
  validation {
    condition     = contains(["", "email", "name", "email,name", "name,email"], var.act_display_claims)
    error_message = "act_display_claims must be \"\", \"email\", \"name\" or \"email,name\"."
  }
}

variable "obo_agent_api_identifier" {
  description = "For exchange mode: the identifier of the agent's own API, whose tokens (the humans') the agent exchanges; null creates no on-behalf-of client."
  type        = string
  default     = null
}
