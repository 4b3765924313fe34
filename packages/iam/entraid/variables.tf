variable "api_identifier_uri" {
  description = "Application ID URI of the API; agents request {uri}/.default. Tenant policy may require api://{appId} or a verified domain."
  type        = string
  default     = "api://dual-auth-finance"
}

variable "agent_role_value" {
  description = "App role value an agent must hold (arrives in the token's roles claim)."
  type        = string
  default     = "FinanceAgent"
}

variable "human_role_value" {
  description = "App role value a human must hold to delegate (checked by the API through Graph appRoleAssignments)."
  type        = string
  default     = "FinanceUser"
}

variable "api_delegated_scope_value" {
  description = "Delegated scope of the API an agent gets on behalf of a human (exchange mode: the token's scp; API_SCOPE {uri}/{value} or {uri}/.default)."
  type        = string
  default     = "finance.read"
}

variable "agent_certificate_pem" {
  description = "The agent's X.509 certificate (PEM) for private_key_jwt; its private key stays with the agent."
  type        = string
}

variable "app_signing_certificate_pem" {
  description = "Certificate (PEM) wrapping the web application's act-signing public key: the key whose public half the API trusts for X-Act-Assertion (APP_PUBLIC_KEY_PATH)."
  type        = string
}

variable "certificate_end_date" {
  description = "RFC 3339 end of validity of both certificates as registered in Entra ID."
  type        = string
}
