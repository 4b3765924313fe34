import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { keycloakActMapperSource } from '../src/keycloak-act-mapper.ts';

const script = fileURLToPath(new URL('../keycloak/pack-provider-jar.mjs', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'dual-auth-jar-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Reads a zip through its central directory, checking every entry's CRC and sizes. */
function readZip(bytes: Buffer): Map<string, Buffer> {
  const endOffset = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(endOffset).toBeGreaterThan(0);
  const count = bytes.readUInt16LE(endOffset + 10);
  let central = bytes.readUInt32LE(endOffset + 16);
  expect(central + bytes.readUInt32LE(endOffset + 12)).toBe(endOffset);
  const entries = new Map<string, Buffer>();
  for (let index = 0; index < count; index++) {
    expect(bytes.readUInt32LE(central)).toBe(0x02014b50);
    const method = bytes.readUInt16LE(central + 10);
    const checksum = bytes.readUInt32LE(central + 16);
    const compressedSize = bytes.readUInt32LE(central + 20);
    const size = bytes.readUInt32LE(central + 24);
    const nameLength = bytes.readUInt16LE(central + 28);
    const extraLength = bytes.readUInt16LE(central + 30);
    const commentLength = bytes.readUInt16LE(central + 32);
    const local = bytes.readUInt32LE(central + 42);
    const name = bytes.subarray(central + 46, central + 46 + nameLength).toString('utf8');
    expect(bytes.readUInt32LE(local)).toBe(0x04034b50);
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(dataStart, dataStart + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(checksum);
    entries.set(name, data);
    central += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function pack(...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: directory });
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

describe('dual-auth-keycloak-jar (pack-provider-jar.mjs)', () => {
  it('writes a valid zip with the descriptor, the mapper script and a manifest', () => {
    const out = join(directory, 'mapper.jar');
    const result = pack('--out', out);
    expect(result.status, result.stderr).toBe(0);
    const entries = readZip(readFileSync(out));
    expect([...entries.keys()]).toEqual([
      'META-INF/MANIFEST.MF',
      'META-INF/keycloak-scripts.json',
      'dual-auth-act-mapper.js',
    ]);
    const descriptor = JSON.parse(entries.get('META-INF/keycloak-scripts.json')?.toString('utf8') ?? '') as {
      mappers: { fileName: string }[];
    };
    expect(descriptor.mappers.map((mapper) => mapper.fileName)).toEqual(['dual-auth-act-mapper.js']);
    expect(entries.get('dual-auth-act-mapper.js')?.toString('utf8')).toBe(keycloakActMapperSource());
    expect(entries.get('META-INF/MANIFEST.MF')?.toString('utf8')).toMatch(/^Manifest-Version: 1\.0\r\n/);
  });

  it('passes unzip -t', (context) => {
    if (!hasCommand('unzip')) return context.skip('unzip is not installed');
    const out = join(directory, 'unzip.jar');
    expect(pack('--out', out).status).toBe(0);
    expect(execFileSync('unzip', ['-t', out], { encoding: 'utf8' })).toContain('No errors detected');
  });

  it('is listed by the JDK jar tool', (context) => {
    if (!hasCommand('jar')) return context.skip('the JDK jar tool is not on PATH');
    const out = join(directory, 'jdk.jar');
    expect(pack('--out', out).status).toBe(0);
    expect(execFileSync('jar', ['tf', out], { encoding: 'utf8' }).trim().split('\n')).toEqual([
      'META-INF/MANIFEST.MF',
      'META-INF/keycloak-scripts.json',
      'dual-auth-act-mapper.js',
    ]);
  });

  it('writes the human role and approval attribute into the packed script, and is reproducible', () => {
    const first = join(directory, 'a.jar');
    const second = join(directory, 'b.jar');
    expect(
      pack('--out', first, '--human-role', 'FinanceUser', '--approved-agents-attribute', 'approved').status,
    ).toBe(0);
    expect(
      pack('--out', second, '--human-role', 'FinanceUser', '--approved-agents-attribute', 'approved').status,
    ).toBe(0);
    expect(readFileSync(first).equals(readFileSync(second))).toBe(true);
    const packed = readZip(readFileSync(first)).get('dual-auth-act-mapper.js')?.toString('utf8') ?? '';
    expect(packed).toContain("humanRole: 'FinanceUser',");
    expect(packed).toContain("approvedAgentsAttribute: 'approved',");
    expect(
      packed
        .replace("'FinanceUser'", "'dual-auth-human'")
        .replace("'approved'", "'dual_auth_approved_agents'"),
    ).toBe(keycloakActMapperSource());
  });

  it('refuses a role name that would break the script', () => {
    const result = pack('--out', join(directory, 'bad.jar'), '--human-role', "x'; evil(); '");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('humanRole has characters');
  });

  it('writes the display claims into the packed script, and refuses anything but email and name', () => {
    const out = join(directory, 'display.jar');
    expect(pack('--out', out, '--display-claims', 'email,name').status).toBe(0);
    const packed = readZip(readFileSync(out)).get('dual-auth-act-mapper.js')?.toString('utf8') ?? '';
    expect(packed).toContain("displayClaims: 'email,name',");
    expect(keycloakActMapperSource()).toContain("displayClaims: '',");
    const refused = pack('--out', join(directory, 'bad-display.jar'), '--display-claims', 'email,phone');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('displayClaims must be empty, "email", "name" or "email,name"');
  });
});
