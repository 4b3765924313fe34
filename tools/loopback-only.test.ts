import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isLoopbackTarget } from './is-loopback-target.ts';
import { drainRefusedConnections } from './loopback-only.ts';

describe('loopback-only test guard', () => {
  it('knows loopback targets', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'].every(isLoopbackTarget)).toBe(true);
    expect(
      [
        '169.254.169.254',
        '10.0.0.1',
        'example.com',
        'metadata.google.internal',
        '0.0.0.0',
        'a.localhost',
      ].some(isLoopbackTarget),
    ).toBe(false);
  });

  it('lets loopback connections through', async () => {
    const server = net.createServer((socket) => socket.end('hi'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('data', (data) => resolve(String(data)));
      socket.on('error', reject);
    });
    server.close();
    expect(reply).toBe('hi');
  });

  it('refuses any other target before DNS, and records it', async () => {
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      net.connect(80, '192.0.2.1').on('error', resolve);
    });
    const fetchError = await fetch('http://metadata.google.internal/computeMetadata/v1/').catch(
      (reason: Error) => reason,
    );
    expect(error.code).toBe('ECONNREFUSED');
    expect(fetchError).toBeInstanceOf(Error);
    expect(drainRefusedConnections()).toEqual(['192.0.2.1', 'metadata.google.internal']);
  });
});
