import type { Vendor } from '@dual-auth/core';
import { keycloakAssertionRefusal } from './keycloak-client-assertion.ts';
import type { ClientAuthMethod } from './types.ts';
import { auth0TokenResponse } from './vendors/auth0.ts';
import { type EntraRefusal, entraErrorResponse } from './vendors/entraid.ts';
import { oktaRefusalResponse } from './vendors/okta.ts';

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
  /** Entra's own answer (AADSTS code and text), when the rule that refused knows it. */
  readonly entra?: EntraRefusal;
}

/** An HTTP answer: status, JSON body, extra headers. */
export interface ShapedResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

function entraError(status: number, error: string, code: number, text: string): ShapedResponse {
  return entraErrorResponse({ status, error, code, text });
}

function oauth(status: number, error: string, description: string): ShapedResponse {
  return { status, body: { error, error_description: description } };
}

/** The error each vendor answers for a refusal. */
export function shapeRefusal(
  vendor: Vendor,
  refusal: Refusal,
  context: { clientId?: string; tenantId: string },
): ShapedResponse {
  const { kind, description } = refusal;
  switch (vendor) {
    case 'keycloak':
      switch (kind) {
        case 'unknown_client':
          return oauth(401, 'invalid_client', 'Invalid client or Invalid client credentials');
        case 'bad_client_secret':
          return oauth(401, 'unauthorized_client', 'Invalid client or Invalid client credentials');
        case 'bad_client_assertion': {
          const answer = keycloakAssertionRefusal(description, refusal.authMethod);
          return oauth(answer.status, answer.error, answer.description);
        }
        case 'unsupported_auth_method':
          return oauth(400, 'invalid_client', `Client authentication with signed JWT failed: ${description}`);
        case 'agent_not_approved':
        case 'human_not_approved':
          return oauth(400, 'access_denied', description);
        case 'invalid_scope':
          return oauth(400, 'invalid_scope', `Invalid scopes: ${description}`);
        default:
          return oauth(refusal.status ?? 400, refusal.error ?? 'invalid_request', description);
      }
    case 'auth0':
      switch (kind) {
        case 'unknown_client':
        case 'bad_client_secret':
        case 'bad_client_assertion':
        case 'unsupported_auth_method':
          return oauth(401, 'access_denied', 'Unauthorized');
        case 'agent_not_approved':
        case 'human_not_approved':
        case 'invalid_scope':
        case 'invalid_target':
          return oauth(403, 'access_denied', description);
        default:
          return oauth(refusal.status ?? 400, refusal.error ?? 'invalid_request', description);
      }
    case 'okta':
      return oktaRefusalResponse(refusal);
    case 'entraid':
      if (refusal.entra !== undefined) return entraErrorResponse(refusal.entra);
      switch (kind) {
        case 'unknown_client':
          return entraError(
            400,
            'unauthorized_client',
            700016,
            `Application with identifier '${context.clientId ?? ''}' was not found in the directory '${context.tenantId}'.`,
          );
        case 'bad_client_secret':
          return entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
        case 'bad_client_assertion':
        case 'unsupported_auth_method':
          return entraError(
            401,
            'invalid_client',
            700027,
            `Client assertion failed signature validation. ${description}`,
          );
        case 'agent_not_approved':
        case 'human_not_approved':
          return entraError(400, 'invalid_grant', 501051, description);
        case 'invalid_scope':
          return entraError(400, 'invalid_scope', 1002012, description);
        case 'invalid_target':
          return entraError(400, 'invalid_resource', 500011, description);
        default:
          return entraError(refusal.status ?? 400, refusal.error ?? 'invalid_request', 900144, description);
      }
  }
}

/** Adds the vendor's fields to a successful token response (`refresh_expires_in`, `ext_expires_in`…). */
export function shapeTokenSuccess(vendor: Vendor, body: Record<string, unknown>): Record<string, unknown> {
  const { access_token, expires_in, scope } = body;
  switch (vendor) {
    case 'keycloak':
      return {
        access_token,
        expires_in,
        refresh_expires_in: 0,
        token_type: 'Bearer',
        'not-before-policy': 0,
        scope: ['profile', 'email', ...(typeof scope === 'string' ? scope.split(' ') : [])].join(' '),
      };
    case 'auth0':
      return auth0TokenResponse(body);
    case 'okta':
      return { token_type: 'Bearer', expires_in, access_token, ...(scope === undefined ? {} : { scope }) };
    case 'entraid':
      return { token_type: 'Bearer', expires_in, ext_expires_in: expires_in, access_token };
  }
}
