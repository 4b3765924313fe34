// Test setup for every package: the suites talk to servers on this machine only. Any attempt to
// open a TCP connection elsewhere (a cloud metadata probe, a forgotten real URL) is refused before
// DNS, and fails the test that made it.
import net from 'node:net';
import { afterEach, expect, inject } from 'vitest';
import { isLoopbackTarget } from './is-loopback-target.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the live project only (apps/e2e/vitest.live.config.ts). */
    liveNetwork?: boolean;
  }
}

// The one exception: the live contract suite may reach the hosts of the real tenants whose
// DUAL_AUTH_LIVE_<VENDOR>_* credentials are set (docs/live-tests.md), and nothing else. No other
// project provides `liveNetwork`, so credentials in the environment open nothing there.
const liveTenantHosts = new Set(
  inject('liveNetwork') === true
    ? (await import('../packages/testkit/src/live/live-tenant-hosts.ts')).liveTenantHosts(process.env)
    : [],
);
const refused: string[] = [];
const originalConnect = net.Socket.prototype.connect;

function targetHost(args: unknown[]): string | undefined {
  const [first, second] = args;
  if (Array.isArray(first)) return targetHost(first);
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; path?: string };
    return options.path === undefined ? (options.host ?? 'localhost') : undefined;
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return typeof second === 'string' ? second : 'localhost';
  }
  return undefined; // a Unix socket path
}

net.Socket.prototype.connect = function connectLoopbackOnly(this: net.Socket, ...args: unknown[]) {
  const host = targetHost(args);
  if (host !== undefined && !isLoopbackTarget(host) && !liveTenantHosts.has(host.toLowerCase())) {
    refused.push(host);
    const error = Object.assign(new Error(`connection to ${host} refused: tests may only reach loopback`), {
      code: 'ECONNREFUSED',
    });
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return (originalConnect as (...connectArgs: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

/** Hands over (and forgets) the refused targets, for the guard's own test. */
export function drainRefusedConnections(): string[] {
  return refused.splice(0);
}

afterEach(() => {
  const attempts = refused.splice(0);
  expect(attempts, 'the test tried to reach hosts other than loopback').toEqual([]);
});
