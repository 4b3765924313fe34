// The live project's network guard (tools/loopback-only.ts) opens the hosts of configured tenants
// only: any other host stays refused, credentials or not.
import net from 'node:net';
import { liveTenantHosts } from '@dual-auth/testkit';
import { expect, it } from 'vitest';
import { drainRefusedConnections } from '../../../../tools/loopback-only.ts';

it('refuses a host that is no configured tenant', async () => {
  const host = 'dual-auth-live-guard.invalid';
  expect(liveTenantHosts(process.env)).not.toContain(host);
  const socket = net.connect(443, host);
  const error = await new Promise((resolve) => socket.on('error', resolve));
  expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  expect(drainRefusedConnections()).toEqual([host]);
});
