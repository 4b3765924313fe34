export {
  Auth0Adapter,
  type Auth0AdapterOptions,
  type Auth0ClaimNames,
  DEFAULT_AUTH0_ACT_CLAIM,
} from './auth0-adapter.ts';
export { vendorDefinition } from './vendor-definition.ts';
