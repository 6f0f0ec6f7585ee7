/**
 * A saved kallsyms file (`kernelTrace.kallsyms`, `ktl hits --kallsyms`), read once and kept
 * while its mtime and size stay the same: /proc/kallsyms is ~120,000 lines (~5 MB), parsed in
 * a few hundred ms, and every hits request of a worker would otherwise pay for it again.
 */
import { readFile, stat } from 'node:fs/promises';
import { Kallsyms, KallsymsError } from '../source/kallsyms';

const loaded = new Map<string, { stamp: string; table: Kallsyms }>();

/** The table of `path`; throws KallsymsError naming the file (and the line) when it cannot be used. */
export async function loadKallsyms(path: string): Promise<Kallsyms> {
  let stamp: string;
  try {
    const s = await stat(path);
    stamp = `${s.mtimeMs}:${s.size}`;
  } catch (err) {
    throw new KallsymsError(`kallsyms file ${path} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const known = loaded.get(path);
  if (known && known.stamp === stamp) return known.table;
  const table = Kallsyms.parse(await readFile(path, 'utf8'), path);
  loaded.set(path, { stamp, table });
  return table;
}
