import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../exit-codes.ts';
import { CliExit, type CommandContext, trustCaFile } from './command-context.ts';

describe('trustCaFile', () => {
  it('fails with a usage error naming NODE_EXTRA_CA_CERTS on a Node.js without tls.setDefaultCACertificates', async () => {
    const original = tls.setDefaultCACertificates;
    // As on Node.js before 24.5, where the function does not exist.
    (tls as { setDefaultCACertificates?: unknown }).setDefaultCACertificates = undefined;
    try {
      const context = { cwd: process.cwd() } as CommandContext;
      const failure = await trustCaFile(context, 'ca.pem').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CliExit);
      expect((failure as CliExit).exitCode).toBe(exitCodes.usage);
      expect((failure as CliExit).message).toMatch(/NODE_EXTRA_CA_CERTS=ca\.pem/);
    } finally {
      tls.setDefaultCACertificates = original;
    }
  });

  it('does nothing without --ca-file', async () => {
    await expect(trustCaFile({ cwd: process.cwd() } as CommandContext, undefined)).resolves.toBeUndefined();
  });
});
