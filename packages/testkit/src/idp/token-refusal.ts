import type { ClientAuthMethod } from './types.ts';

/** Why the token endpoint refused, in vendor-neutral terms. */
export type RefusalKind =
  | 'unknown_client'
  | 'bad_client_secret'
  | 'bad_client_assertion'
  | 'unsupported_auth_method'
  | 'agent_not_approved'
  | 'human_not_approved'
  | 'invalid_scope'
  | 'invalid_target'
  | 'invalid_request'
  | 'other';

/** A refusal with its description, before vendor shaping. */
export interface Refusal {
  readonly kind: RefusalKind;
  readonly description: string;
  /** The oidc-provider error code, for `other`. */
  readonly error?: string;
  readonly status?: number;
  /** How the client authenticated, when known (Keycloak words signature failures per method). */
  readonly authMethod?: ClientAuthMethod;
  /** The vendor's own answer, when the rule that refused already knows it (Entra's AADSTS code and text). */
  readonly answer?: ShapedResponse;
}

/** An HTTP answer: status, JSON body, extra headers. */
export interface ShapedResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A plain OAuth 2.0 error answer (RFC 6749 §5.2): `error` and `error_description`. */
export function oauthError(status: number, error: string, description: string): ShapedResponse {
  return { status, body: { error, error_description: description } };
}
