/**
 * A saved kallsyms file (`kernelTrace.kallsyms`, `ktl hits --kallsyms`), read once and kept
 * while its mtime and size stay the same: /proc/kallsyms is ~120,000 lines (~5 MB), parsed in
 * a few hundred ms, and every hits request of a worker would otherwise pay for it again.
 *
 * The path comes from a setting a workspace can write, so it is the attacker's: only a regular
 * file is read (not `/dev/zero`, a FIFO that would block the open, or a folder), and reading
 * stops past MAX_KALLSYMS_BYTES. The file is opened first and checked through its descriptor,
 * non-blocking, so it cannot be swapped for a FIFO between the check and the read.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { Kallsyms, KallsymsError } from '../source/kallsyms';

/** 64 MiB: ten times a /proc/kallsyms with modules loaded (~5–7 MB). */
export const MAX_KALLSYMS_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

const loaded = new Map<string, { stamp: string; table: Kallsyms }>();

function fileKind(s: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The table of `path`; throws KallsymsError naming the file (and the line) when it cannot be used. */
export async function loadKallsyms(path: string, maxBytes = MAX_KALLSYMS_BYTES): Promise<Kallsyms> {
  const cannot = (err: unknown): KallsymsError =>
    new KallsymsError(`kallsyms file ${path} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  let fh;
  try {
    fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw cannot(err);
  }
  try {
    const s = await fh.stat();
    if (!s.isFile()) throw new KallsymsError(`kallsyms file ${path} is ${fileKind(s)}, not a regular file: save /proc/kallsyms to a file and point at that`);
    const stamp = `${s.mtimeMs}:${s.size}`;
    const known = loaded.get(path);
    if (known && known.stamp === stamp) return known.table;
    // Read up to one byte past the bound: the size stat reports is 0 for /proc files.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new KallsymsError(`kallsyms file ${path} is larger than ${maxBytes} bytes (the bound for a saved /proc/kallsyms): not read`);
    }
    const table = Kallsyms.parse(Buffer.concat(chunks, total).toString('utf8'), path);
    loaded.set(path, { stamp, table });
    return table;
  } catch (err) {
    throw err instanceof KallsymsError ? err : cannot(err);
  } finally {
    await fh.close();
  }
}
