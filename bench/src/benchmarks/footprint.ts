// Target 6 (bench/README.md): footprint. Three installs as a user gets them from the registry:
//   agent = core + adapter-keycloak + secrets-env + client,  api = core + verifier,  app = core + sender.
// For each, the production dependency closure is walked from the package.json files: `dependencies`,
// `optionalDependencies` (when installed) and non-optional `peerDependencies` (npm ≥ 7 installs those),
// each dependency resolved from the depending package's own directory through the node_modules lookup
// Node does (require.resolve.paths). Workspace packages count by what `npm pack` would publish (their
// `files` globs plus package.json / README / LICENSE), registry packages by their installed directory
// without nested node_modules. Sizes are compared with the closure of `jose` + `valibot` alone, the
// two packages core depends on and so the floor of any install. The script fails (exit code 1) if a
// closure holds a cloud SDK or a web framework, or a required dependency is not installed.
// Then the `import` time of each of these @dual-auth packages, deps included, from its built `dist`
// (a fresh `node` per measurement, without the dev-source condition, as an application loads it),
// against `import('jose')` alone measured in the same run, alternating which goes first.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, matchesGlob, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median, printBenchLine } from '../measure.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const ROUNDS = 5;

// Installed size: the agent may weigh at most twice the jose + valibot floor (ratio ≥ 0.5). Our
// packages publish dist (JS, .d.ts, source maps) and src for the maps, so a few hundred KiB of our own
// plus ky (the agent's HTTP client) fit; a second schema library, an HTTP stack or an SDK would not.
const SIZE_TARGET = 0.5;
// Package count: the packages the user installs + jose + valibot + at most 2 more third-party
// packages (ky today). Each extra package is a supply-chain decision, so the budget is explicit.
const EXTRA_THIRD_PARTY_PACKAGES = 2;
// Import time, jose / ours: every @dual-auth package loads jose itself, plus valibot and core, so
// ours is jose plus more by construction. ≥ 0.2 means an import costs at most 5× jose alone, i.e.
// well under 100 ms here: small next to a process start and to the first IdP round trip, which
// matters for CLI tools and serverless cold starts. A package that eagerly loaded an SDK or a
// framework (100s of ms) would fail it.
const IMPORT_TARGET = 0.2;

/** Scopes and names a closure must not hold: cloud SDKs (and their transports) and web frameworks. */
const FORBIDDEN: readonly { readonly kind: string; readonly match: (name: string) => boolean }[] = [
  { kind: 'cloud SDK', match: (name) => /^@(aws-sdk|smithy|google-cloud|azure)\//.test(name) },
  {
    kind: 'cloud SDK',
    match: (name) => ['google-gax', 'google-auth-library', '@grpc/grpc-js', 'node-vault'].includes(name),
  },
  { kind: 'web framework', match: (name) => ['express', 'fastify', 'hono', 'koa'].includes(name) },
  { kind: 'web framework', match: (name) => /^@(fastify|hono|koa)\//.test(name) },
];

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly files?: readonly string[];
  readonly exports?: unknown;
  readonly main?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
}

interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly directory: string;
  readonly workspace: boolean;
  readonly bytes: number;
  readonly fileCount: number;
}

interface Closure {
  readonly packages: readonly InstalledPackage[];
  readonly bytes: number;
  /** Required dependencies that are not installed (the closure is then incomplete). */
  readonly missing: readonly string[];
  /** Optional peers left out, as `dependent → peer`. */
  readonly optionalPeers: readonly string[];
}

const readPackageJson = (directory: string) =>
  JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as PackageJson;

const isWorkspace = (directory: string) => !directory.split(sep).includes('node_modules');

/** The installed directory of `name` as Node finds it from a module in `fromDirectory`. */
function findPackageDirectory(name: string, fromDirectory: string): string | undefined {
  const lookup = createRequire(join(fromDirectory, 'package.json')).resolve.paths(name) ?? [];
  for (const modules of lookup) {
    if (basename(modules) !== 'node_modules') continue; // not the global folders: a user has none
    const candidate = join(modules, name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
  }
  return undefined;
}

/** Files under `directory` (relative, with `/`), never entering node_modules or .git. */
function listFiles(directory: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(directory, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.git') found.push(...listFiles(directory, path));
    } else if (entry.isFile()) {
      found.push(path);
    }
  }
  return found;
}

/** Whether `npm pack` publishes `path`: the `files` globs in order (a `!` glob excludes), plus the always-included files. */
function isPublished(path: string, files: readonly string[]): boolean {
  if (!path.includes('/') && /^(package\.json|readme(\..*)?|licen[cs]e(\..*)?)$/i.test(path)) return true;
  let included = false;
  for (const pattern of files) {
    const negated = pattern.startsWith('!');
    const glob = (negated ? pattern.slice(1) : pattern).replace(/^\.\//, '').replace(/\/$/, '');
    if (matchesGlob(path, glob) || matchesGlob(path, `${glob}/**`)) included = !negated;
  }
  return included;
}

function measurePackage(directory: string): InstalledPackage {
  const manifest = readPackageJson(directory);
  const workspace = isWorkspace(directory);
  const all = listFiles(directory);
  const files = workspace ? all.filter((path) => isPublished(path, manifest.files ?? ['**'])) : all;
  const bytes = files.reduce((total, path) => total + statSync(join(directory, path)).size, 0);
  return {
    name: manifest.name ?? basename(directory),
    version: manifest.version ?? '0.0.0',
    directory,
    workspace,
    bytes,
    fileCount: files.length,
  };
}

/** The production closure of the packages at `roots` (installed directories). */
function closureOf(roots: readonly string[]): Closure {
  const seen = new Map<string, InstalledPackage>();
  const missing = new Set<string>();
  const optionalPeers = new Set<string>();
  const queue = [...roots];
  for (let directory = queue.shift(); directory !== undefined; directory = queue.shift()) {
    if (seen.has(directory)) continue;
    const installed = measurePackage(directory);
    seen.set(directory, installed);
    const manifest = readPackageJson(directory);
    const peers = Object.keys(manifest.peerDependencies ?? {});
    const required = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...peers.filter((peer) => manifest.peerDependenciesMeta?.[peer]?.optional !== true),
    ];
    for (const peer of peers) {
      if (manifest.peerDependenciesMeta?.[peer]?.optional === true) {
        optionalPeers.add(`${installed.name} → ${peer}`);
      }
    }
    for (const name of required) {
      const found = findPackageDirectory(name, directory);
      if (found === undefined) missing.add(`${installed.name} → ${name}`);
      else queue.push(found);
    }
    // Optional dependencies are installed where the platform allows; count them when they are.
    for (const name of Object.keys(manifest.optionalDependencies ?? {})) {
      const found = findPackageDirectory(name, directory);
      if (found !== undefined) queue.push(found);
    }
  }
  const packages = [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    packages,
    bytes: packages.reduce((total, installed) => total + installed.bytes, 0),
    missing: [...missing],
    optionalPeers: [...optionalPeers],
  };
}

// The workspace packages by name (their own directories, as the registry would serve them).
const workspacePackages = new Map<string, string>();
for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
  const directory = join(root, 'packages', entry.name);
  if (entry.isDirectory() && existsSync(join(directory, 'package.json'))) {
    const name = readPackageJson(directory).name;
    if (name !== undefined) workspacePackages.set(name, directory);
  }
}
function workspaceDirectory(name: string): string {
  const directory = workspacePackages.get(name);
  if (directory === undefined) throw new Error(`workspace package ${name} not found under packages/`);
  return directory;
}

const installs = [
  {
    name: 'agent',
    packages: [
      '@dual-auth/core',
      '@dual-auth/adapter-keycloak',
      '@dual-auth/secrets-env',
      '@dual-auth/client',
    ],
  },
  { name: 'api', packages: ['@dual-auth/core', '@dual-auth/verifier'] },
  { name: 'app', packages: ['@dual-auth/core', '@dual-auth/sender'] },
] as const;
const ourPackages = [...new Set(installs.flatMap((install) => install.packages))];

// Children load dist and sizes count it: without a build both would be wrong.
const unbuilt = ourPackages.filter((name) => !existsSync(join(workspaceDirectory(name), 'dist', 'index.js')));
if (unbuilt.length > 0) {
  process.stderr.write(
    `footprint: no dist for ${unbuilt.join(', ')}; run \`pnpm run build\` at the repository root first\n`,
  );
  process.exit(1);
}
for (const name of ourPackages) {
  const directory = workspaceDirectory(name);
  const built = statSync(join(directory, 'dist', 'index.js')).mtimeMs;
  const newer = listFiles(join(directory, 'src')).some(
    (path) => statSync(join(directory, 'src', path)).mtimeMs > built,
  );
  if (newer) process.stderr.write(`footprint: warning: ${name} has sources newer than its dist (rebuild)\n`);
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

const coreDirectory = workspaceDirectory('@dual-auth/core');
const referenceRoots = ['jose', 'valibot'].map((name) => {
  const directory = findPackageDirectory(name, coreDirectory);
  if (directory === undefined) throw new Error(`${name} is not installed for @dual-auth/core`);
  return directory;
});
const reference = closureOf(referenceRoots);
const referenceName = `closure of ${reference.packages.map((p) => `${p.name}@${p.version}`).join(' + ')}`;
process.stdout.write(
  `reference: ${referenceName}: ${reference.packages.length} packages, ${reference.bytes.toLocaleString('en-US')} bytes (${mib(reference.bytes)} MiB)\n`,
);

let failed = false;
for (const install of installs) {
  const closure = closureOf(install.packages.map(workspaceDirectory));
  process.stdout.write(`\nfootprint.${install.name}: npm install ${install.packages.join(' ')}\n`);
  for (const installed of closure.packages) {
    process.stdout.write(
      `  ${`${installed.name}@${installed.version}`.padEnd(36)} ${kib(installed.bytes).padStart(8)} KiB  ${String(installed.fileCount).padStart(4)} files  ${installed.workspace ? 'workspace, published files' : 'registry, installed directory'}\n`,
    );
  }
  process.stdout.write(
    `  total: ${closure.packages.length} packages, ${closure.bytes.toLocaleString('en-US')} bytes (${mib(closure.bytes)} MiB)\n`,
  );
  if (closure.optionalPeers.length > 0) {
    process.stdout.write(`  optional peers, not installed: ${closure.optionalPeers.join(', ')}\n`);
  }
  if (closure.missing.length > 0) {
    failed = true;
    process.stdout.write(`  FAIL: required dependencies not installed: ${closure.missing.join(', ')}\n`);
  }
  const offenders = closure.packages.flatMap((installed) =>
    FORBIDDEN.filter((rule) => rule.match(installed.name)).map((rule) => `${installed.name} (${rule.kind})`),
  );
  if (offenders.length > 0) {
    failed = true;
    process.stdout.write(`  FAIL: the closure holds ${offenders.join(', ')}\n`);
  } else {
    process.stdout.write(
      '  ok: no cloud SDK (@aws-sdk/*, @smithy/*, @google-cloud/*, @azure/*, google-gax, google-auth-library, @grpc/grpc-js, node-vault)\n' +
        '      and no web framework (express, fastify, hono, koa and their scopes)\n',
    );
  }

  // Sizes are "lower is better", so the ratio is reference / ours: like every figure, higher is better.
  const sizeRatio = reference.bytes / closure.bytes;
  printBenchLine({
    name: `footprint.${install.name}.installed-size`,
    value: closure.bytes,
    unit: 'bytes',
    reference: referenceName,
    ratio: sizeRatio,
    target: SIZE_TARGET,
    met: sizeRatio >= SIZE_TARGET,
  });
  const countTarget =
    reference.packages.length /
    (install.packages.length + reference.packages.length + EXTRA_THIRD_PARTY_PACKAGES);
  const countRatio = reference.packages.length / closure.packages.length;
  printBenchLine({
    name: `footprint.${install.name}.package-count`,
    value: closure.packages.length,
    unit: 'packages',
    reference: referenceName,
    ratio: countRatio,
    target: Number(countTarget.toFixed(3)),
    met: countRatio >= countTarget,
  });
}

// Import time. The child times only the dynamic import (not Node's own start), of a bare specifier
// resolved from `cwd` without the dev-source condition: a self-reference for our packages (their
// exports map sends it to dist), core's own `jose` for the reference.
const probe = `
const specifier = process.env.FOOTPRINT_SPECIFIER;
const t0 = performance.now();
await import(specifier);
const t1 = performance.now();
process.stdout.write(JSON.stringify({ ms: t1 - t0, url: import.meta.resolve(specifier) }));
`;
const childEnvironment = { ...process.env };
delete childEnvironment.NODE_OPTIONS; // no inherited --conditions or loaders
delete childEnvironment.NODE_COMPILE_CACHE; // every child compiles from scratch, as a first start does

async function importTime(specifier: string, cwd: string): Promise<{ ms: number; url: string }> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], {
    cwd,
    env: { ...childEnvironment, FOOTPRINT_SPECIFIER: specifier },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(stdout) as { ms: number; url: string };
}

const describe = (values: readonly number[]) =>
  `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;

process.stdout.write('\n');
for (const name of ourPackages) {
  const directory = workspaceDirectory(name);
  // One untimed load of each first: fills the file cache and checks what resolves.
  const warm = await importTime(name, directory);
  const joseWarm = await importTime('jose', coreDirectory);
  if (!warm.url.endsWith('/dist/index.js')) throw new Error(`${name} resolved to ${warm.url}, not its dist`);
  const ours: number[] = [];
  const jose: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first, so drift in machine load does not favour one side.
    let oursMs: number;
    let joseMs: number;
    if (round % 2 === 0) {
      oursMs = (await importTime(name, directory)).ms;
      joseMs = (await importTime('jose', coreDirectory)).ms;
    } else {
      joseMs = (await importTime('jose', coreDirectory)).ms;
      oursMs = (await importTime(name, directory)).ms;
    }
    ours.push(oursMs);
    jose.push(joseMs);
    ratios.push(joseMs / oursMs);
  }
  const ratio = median(ratios);
  const figure = `footprint.import.${name.replace('@dual-auth/', '')}`;
  process.stdout.write(
    `${figure} (${relative(root, fileURLToPath(warm.url))}, reference ${relative(root, fileURLToPath(joseWarm.url))})\n` +
      `  import ${name}: ${describe(ours)}\n` +
      `  import jose:  ${describe(jose)}\n` +
      `  ratio jose / ours ${ratio.toFixed(2)} (per round ${ratios.map((value) => value.toFixed(2)).join(', ')}; target ≥ ${IMPORT_TARGET}) ${ratio >= IMPORT_TARGET ? 'met' : 'NOT met'}\n`,
  );
  printBenchLine({
    name: figure,
    value: median(ours),
    unit: 'ms',
    reference: 'import of jose alone',
    ratio,
    target: IMPORT_TARGET,
    met: ratio >= IMPORT_TARGET,
  });
}

if (failed) process.exitCode = 1;
