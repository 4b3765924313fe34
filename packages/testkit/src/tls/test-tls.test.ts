import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { testTls, trustTestCa } from './test-tls.ts';

describe('test TLS material', () => {
  it('serves HTTPS on loopback that global fetch trusts only after trustTestCa()', async () => {
    const { cert, key } = testTls();
    const server = https.createServer({ cert, key }, (_request, response) => response.end('secure'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      await expect(fetch(url)).rejects.toThrow();
      const untrust = trustTestCa();
      try {
        expect(await (await fetch(url)).text()).toBe('secure');
      } finally {
        untrust();
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
