/**
 * An `AbortSignal` that aborts once the reader of stdout or stderr has gone away (`EPIPE`, as in
 * `npm run demo -- --json | head`), so the run can stop and exit quietly instead of dying on an
 * unhandled `write EPIPE`. Any other stream error still ends the process as it would have.
 */
export function outputClosedSignal(
  streams: readonly NodeJS.WritableStream[] = [process.stdout, process.stderr],
): AbortSignal {
  const controller = new AbortController();
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // Writes after the first EPIPE report the destroyed stream instead.
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      controller.abort();
    });
  }
  return controller.signal;
}
