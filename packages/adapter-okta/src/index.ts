export { OktaAdapter, type OktaAdapterOptions } from './okta-adapter.ts';
export { vendorDefinition } from './vendor-definition.ts';
