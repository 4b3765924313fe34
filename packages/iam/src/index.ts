export {
  type Auth0CredentialsExchangeActionModule,
  type Auth0CredentialsExchangeApi,
  type Auth0CredentialsExchangeEvent,
  type Auth0CredentialsExchangeHandlerOptions,
  type Auth0HumanRecord,
  auth0CredentialsExchangeAction,
  auth0CredentialsExchangeActionSource,
} from './auth0-credentials-exchange-action.ts';
export { type IamArtefact, iamArtefactPath } from './iam-artefact-path.ts';
export {
  type KeycloakActMapperOutcome,
  type KeycloakActMapperSettings,
  keycloakActMapperSource,
  keycloakRealmImport,
  keycloakScriptsDescriptor,
  runKeycloakActMapper,
} from './keycloak-act-mapper.ts';
export {
  createKeycloakScriptApi,
  HostLinkedHashMap,
  type KeycloakScriptApi,
  type KeycloakScriptApiInput,
  type KeycloakScriptBindings,
  type KeycloakTokenObject,
  type KeycloakUserRecord,
} from './keycloak-script-api.ts';
