export { EntraIDAdapter, type EntraIDAdapterOptions } from './entraid-adapter.ts';
export { vendorDefinition } from './vendor-definition.ts';
