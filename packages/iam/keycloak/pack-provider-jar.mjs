#!/usr/bin/env node
// Packs the dual-auth act mapper into a Keycloak provider JAR (a zip file): no Java needed.
//
//   dual-auth-keycloak-jar [--out dual-auth-act-mapper.jar] [--human-role NAME] [--approved-agents-attribute NAME]
//
// Copy the JAR into Keycloak's providers/ directory, then run `kc.sh build` (or start with
// --features=scripts, which rebuilds). The mapper then appears as "dual-auth act mapper".
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crc32, deflateRawSync } from 'node:zlib';

const here = new URL('./', import.meta.url);
const scriptFileName = 'dual-auth-act-mapper.js';
// Fixed entry time (2026-01-01 00:00) so that the same inputs give byte-identical JARs.
const dosTime = 0;
const dosDate = ((2026 - 1980) << 9) | (1 << 5) | 1;

const displayClaimsPattern = /^(?:|email|name|email,name|name,email)$/;

/**
 * The mapper source with the human role, approval attribute and display claims set (the script
 * cannot read mapper configuration, so they are written into its settings block).
 */
export function mapperSource(options = {}) {
  let source = readFileSync(new URL(scriptFileName, here), 'utf8');
  const settings = {
    humanRole: options.humanRole,
    approvedAgentsAttribute: options.approvedAgentsAttribute,
    displayClaims: options.displayClaims,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    if (name === 'displayClaims') {
      if (!displayClaimsPattern.test(value))
        throw new TypeError('displayClaims must be empty, "email", "name" or "email,name"');
    } else if (!/^[A-Za-z0-9_.:-]{1,255}$/.test(value))
      throw new TypeError(`${name} has characters a role or attribute name cannot have`);
    const pattern = new RegExp(`(\\n  ${name}: )'[^'\\n]*'`);
    if (!pattern.test(source)) throw new Error(`the mapper's settings block has no ${name}`);
    source = source.replace(pattern, `$1'${value}'`);
  }
  return source;
}

/** The entries of the provider JAR, in order: name → bytes. */
export function providerJarEntries(options = {}) {
  return [
    ['META-INF/MANIFEST.MF', Buffer.from('Manifest-Version: 1.0\r\nCreated-By: dual-auth\r\n\r\n', 'utf8')],
    ['META-INF/keycloak-scripts.json', readFileSync(new URL('META-INF/keycloak-scripts.json', here))],
    [scriptFileName, Buffer.from(mapperSource(options), 'utf8')],
  ];
}

/** Builds a zip archive (deflate, no encryption, no zip64) from [name, bytes] entries. */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const checksum = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by: Unix, spec 3.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: -rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** The provider JAR's bytes. */
export function packProviderJar(options = {}) {
  return zip(providerJarEntries(options));
}

function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'dual-auth-act-mapper.jar' },
      'human-role': { type: 'string' },
      'approved-agents-attribute': { type: 'string' },
      'display-claims': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: dual-auth-keycloak-jar [--out FILE.jar] [--human-role NAME] [--approved-agents-attribute NAME] [--display-claims email,name]\n' +
        "  --display-claims  the human's claims copied into act besides sub (default none: minimum disclosure)\n",
    );
    return;
  }
  const jar = packProviderJar({
    humanRole: values['human-role'],
    approvedAgentsAttribute: values['approved-agents-attribute'],
    displayClaims: values['display-claims'],
  });
  writeFileSync(values.out, jar, { mode: 0o644 });
  process.stdout.write(
    `wrote ${values.out} (${jar.length} bytes): copy it to Keycloak's providers/ directory\n`,
  );
}

function runAsCommand() {
  if (process.argv[1] === undefined) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (runAsCommand()) {
  try {
    main();
  } catch (error) {
    process.stderr.write(
      `dual-auth-keycloak-jar: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
