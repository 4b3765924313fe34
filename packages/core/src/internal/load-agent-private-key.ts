import type { ClientAssertionPrivateKey, PrivateKeyAlgorithm } from '../create-client-assertion.ts';
import { ConfigurationError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { readKeyFile } from '../read-key-file.ts';

/** Where the agent's `private_key_jwt` key file is, from `AGENT_PRIVATE_KEY_*` settings. */
export interface AgentPrivateKeyFile {
  readonly path: string;
  readonly alg: PrivateKeyAlgorithm;
  readonly kid: string | undefined;
  readonly x5tS256: string | undefined;
}

const maximumKeyFileBytes = 64 * 1024;

/**
 * Reads (see {@link readKeyFile}) and imports the agent's PKCS#8 PEM key. Node only (the file
 * system), imported lazily so edge runtimes that pass `options.privateKey` never load `node:fs`.
 */
export async function loadAgentPrivateKey(
  file: AgentPrivateKeyFile,
  logger: Logger,
): Promise<ClientAssertionPrivateKey> {
  const setting = 'AGENT_PRIVATE_KEY_PATH';
  const [pem, { importPKCS8 }] = await Promise.all([
    readKeyFile(file.path, {
      setting,
      maximumBytes: maximumKeyFileBytes,
      logger,
      looseModeWarning: 'agent private key file is readable by group or others; chmod 600 it',
    }),
    import('jose'),
  ]);
  try {
    const key = await importPKCS8(pem, file.alg);
    return {
      key,
      alg: file.alg,
      ...(file.kid === undefined ? {} : { kid: file.kid }),
      ...(file.x5tS256 === undefined ? {} : { x5tS256: file.x5tS256 }),
    };
  } catch {
    // jose's message may quote the key material: no cause.
    throw new ConfigurationError(
      `${setting} is not a PKCS#8 PEM private key for ${file.alg} (set AGENT_PRIVATE_KEY_ALG to match the key).`,
      { setting },
    );
  }
}
