import type { Environment } from '../secrets-backend.ts';

/** `process.env` where there is one (Node, Deno, Bun), an empty environment on edge runtimes. */
export function defaultEnvironment(): Environment {
  return (globalThis as { process?: { env?: Environment } }).process?.env ?? {};
}
