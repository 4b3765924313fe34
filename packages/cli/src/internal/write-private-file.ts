import { chmod, open, rm } from 'node:fs/promises';

/**
 * Writes a file only its owner can read (mode 0600). Created with O_EXCL, so the mode applies at
 * creation and the content is never readable by others even for an instant; with `replace`, what
 * is there is removed first (a symlink itself, never its target) rather than truncated, so an old
 * file's looser mode or a planted link cannot survive. Without `replace`, an existing file is an
 * `EEXIST` error.
 */
export async function writePrivateFile(path: string, content: string, replace: boolean): Promise<void> {
  if (replace) await rm(path, { force: true });
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  // The umask can only narrow the creation mode; chmod makes it exactly 0600 either way.
  await chmod(path, 0o600);
}
