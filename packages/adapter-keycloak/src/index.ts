export { KeycloakAdapter, type KeycloakAdapterOptions } from './keycloak-adapter.ts';
export { vendorDefinition } from './vendor-definition.ts';
