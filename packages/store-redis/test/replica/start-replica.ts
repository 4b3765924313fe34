import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ReplicaReport, ReplicaSettings } from './replica-protocol.ts';

const script = fileURLToPath(new URL('./agent-replica.ts', import.meta.url));

/** One running agent replica (a real child process), driven by the test. */
export interface RunningReplica {
  readonly child: ChildProcess;
  /** Resolves once the replica is connected and waits for `go`. */
  readonly ready: Promise<void>;
  /** Starts its calls. */
  go(): void;
  /** Its report; rejects if it exits without one, or after `timeoutMs` (killing it). */
  readonly report: Promise<ReplicaReport>;
  kill(): void;
}

/** Spawns `agent-replica.ts` with `settings`; it is killed if it has not reported within `timeoutMs`. */
export function startReplica(settings: ReplicaSettings, timeoutMs = 30_000): RunningReplica {
  const child = spawn(process.execPath, ['--conditions=dev-source', script, JSON.stringify(settings)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = `${errors}${chunk.toString()}`.slice(-2_000);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const report = new Promise<ReplicaReport>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'ready') onReady();
      else if (line.startsWith('{')) resolve(JSON.parse(line) as ReplicaReport);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`replica exited (${code ?? signal}) without a report: ${errors}`));
    });
  });
  // A replica killed on purpose never reports; its report is not awaited then.
  report.catch(() => undefined);
  return {
    child,
    ready: Promise.race([ready, report.then(() => undefined)]),
    go: () => child.stdin?.write('go\n'),
    report,
    kill: () => child.kill('SIGKILL'),
  };
}
