// Runs every benchmark in src/benchmarks/ in its own process (so one's JIT state and heap do not
// colour another's), then prints one table of all BENCH figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchLine } from './measure.ts';

const directory = fileURLToPath(new URL('./benchmarks/', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(directory)
  .filter((file) => file.endsWith('.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

const lines: BenchLine[] = [];
let failures = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  const result = spawnSync(
    process.execPath,
    ['--conditions=dev-source', '--expose-gc', `${directory}${file}`],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  process.stdout.write(result.stdout);
  if (result.status !== 0) failures++;
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith('BENCH ')) lines.push(JSON.parse(line.slice(6)) as BenchLine);
  }
}

const rows = lines.map((line) => [
  line.name,
  `${Math.round(line.value).toLocaleString('en-US')} ${line.unit}`,
  line.reference,
  line.ratio.toFixed(2),
  `≥ ${line.target}`,
  line.met ? 'yes' : 'NO',
]);
const header = ['figure', 'ours', 'reference', 'ratio', 'target', 'met'];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
);
const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
process.stdout.write(`\n${render(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
for (const row of rows) process.stdout.write(`${render(row)}\n`);
if (files.length === 0) process.stdout.write('(no benchmarks yet)\n');
process.exitCode = failures === 0 ? 0 : 1;
