import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { jwkThumbprint } from '@dual-auth/core/jose';
import { type ExitCode, exitCodes } from './exit-codes.ts';
import {
  CliExit,
  type Command,
  type CommandContext,
  parseCommandArgs,
  resolvePath,
  writeJson,
} from './internal/command-context.ts';
import { keygenAlgorithms as algorithms, createKeyPair } from './internal/create-key-pair.ts';
import { writePrivateFile } from './internal/write-private-file.ts';

const help = `Usage: dual-auth keygen [--for app|agent] [--alg EdDSA|ES256|RS256] [--bits N] [--out-dir DIR] [--name NAME] [--kid KID] [--force] [--json]

Creates a signing key pair. --for app (default): the application's key, which signs act JWTs and
act assertions:
  NAME-private.pem   PKCS#8 private key  -> APP_PRIVATE_KEY_PATH
  NAME-public.pem    SPKI public key     -> APP_PUBLIC_KEY_PATH (agents, APIs)
  NAME.jwks.json     public JWKS         -> publish it, or give it to the verifier
--for agent: the agent client's key for private_key_jwt at the IdP (RS256 by default, which every
supported IdP accepts):
  NAME-private.pem   -> AGENT_PRIVATE_KEY_PATH (with AGENT_PRIVATE_KEY_ALG, AGENT_PRIVATE_KEY_ID)
  NAME-public.pem, NAME.jwks.json -> register one of them as the agent client's key at the IdP
Every file is created with mode 0600. Existing files are never replaced unless --force.

Options:
  --for WHOM      app (default) or agent
  --alg ALG       EdDSA (Ed25519, default for app), ES256 (P-256) or RS256 (default for agent)
  --bits N        RSA modulus for RS256: 2048 (default), 3072 or 4096
  --out-dir DIR   where to write (default: the current directory; created if missing)
  --name NAME     file name prefix (default: app, or agent with --for agent)
  --kid KID       key id in the JWKS (default: the RFC 7638 thumbprint)
  --force         replace existing files
  --json          print {alg, kid, files} as JSON
  -h, --help      this help

Exit codes: 0 written, 2 bad option, 3 a file exists (use --force) or cannot be written.`;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function run(argv: readonly string[], context: CommandContext): Promise<ExitCode> {
  const { values } = parseCommandArgs(
    argv,
    {
      for: { type: 'string', default: 'app' },
      alg: { type: 'string' },
      bits: { type: 'string' },
      'out-dir': { type: 'string', default: '.' },
      name: { type: 'string' },
      kid: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    false,
  );
  if (values.help) {
    context.out.write(`${help}\n`);
    return exitCodes.ok;
  }
  const owner = values.for;
  if (owner !== 'app' && owner !== 'agent') throw new CliExit(exitCodes.usage, '--for must be app or agent');
  const requestedAlg = values.alg ?? (owner === 'agent' ? 'RS256' : 'EdDSA');
  const name = values.name ?? owner;
  const alg = algorithms.find((candidate) => candidate.toLowerCase() === requestedAlg.toLowerCase());
  if (alg === undefined) throw new CliExit(exitCodes.usage, `--alg must be one of ${algorithms.join(', ')}`);
  if (values.bits !== undefined && alg !== 'RS256') {
    throw new CliExit(exitCodes.usage, '--bits applies to RS256 only');
  }
  const bits = values.bits === undefined ? 2048 : Number(values.bits);
  if (!Number.isInteger(bits) || bits < 2048 || bits > 8192 || bits % 8 !== 0) {
    throw new CliExit(
      exitCodes.usage,
      '--bits must be a multiple of 8 from 2048 to 8192 (RSA below 2048 is refused)',
    );
  }
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    throw new CliExit(exitCodes.usage, '--name may use letters, digits, dot, dash and underscore (1-64)');
  }
  const directory = resolvePath(context, values['out-dir']);
  const files = {
    privateKey: join(directory, `${name}-private.pem`),
    publicKey: join(directory, `${name}-public.pem`),
    jwks: join(directory, `${name}.jwks.json`),
  };
  if (!values.force) {
    const taken = [];
    for (const path of Object.values(files)) if (await exists(path)) taken.push(path);
    if (taken.length > 0) {
      throw new CliExit(
        exitCodes.input,
        `refusing to overwrite ${taken.join(', ')} (use --force to replace)`,
      );
    }
  }
  const { privateKey, publicKey } = await createKeyPair(alg, bits);
  const publicJwk = publicKey.export({ format: 'jwk' });
  const kid = values.kid ?? (await jwkThumbprint(publicJwk as Readonly<Record<string, unknown>>));
  const jwks = { keys: [{ ...publicJwk, kid, alg, use: 'sig' }] };
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await writePrivateFile(
      files.privateKey,
      privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
      values.force,
    );
    await writePrivateFile(
      files.publicKey,
      publicKey.export({ format: 'pem', type: 'spki' }) as string,
      values.force,
    );
    await writePrivateFile(files.jwks, `${JSON.stringify(jwks, null, 2)}\n`, values.force);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliExit(
      exitCodes.input,
      code === 'EEXIST'
        ? 'a key file appeared while writing; nothing was replaced (use --force to replace)'
        : `cannot write the key files in ${directory}: ${code ?? (error as Error).message}`,
    );
  }
  if (values.json) {
    writeJson(context, { for: owner, alg, kid, ...(alg === 'RS256' ? { bits } : {}), files });
    return exitCodes.ok;
  }
  const { style } = context;
  context.out.write(
    [
      `${style.ok('✔')} ${alg}${alg === 'RS256' ? ` (${bits} bits)` : ''} key pair, kid ${style.bold(kid)}`,
      `  private key  ${files.privateKey}  (0600; keep it secret)`,
      `  public key   ${files.publicKey}`,
      `  JWKS         ${files.jwks}`,
      '',
      ...(owner === 'agent'
        ? [
            'Configure the agent with:',
            `  AGENT_PRIVATE_KEY_PATH=${files.privateKey}`,
            `  AGENT_PRIVATE_KEY_ALG=${alg}`,
            `  AGENT_PRIVATE_KEY_ID=${kid}`,
            `and register ${files.jwks} (or the public key) as the agent client's key at the IdP.`,
          ]
        : [
            'Configure the application with:',
            `  APP_PRIVATE_KEY_PATH=${files.privateKey}`,
            `  APP_PUBLIC_KEY_PATH=${files.publicKey}`,
          ]),
      '',
    ].join('\n'),
  );
  return exitCodes.ok;
}

/** `dual-auth keygen`. */
export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'create the application signing key pair (PEM + JWKS, mode 0600)',
  help,
  run,
};
