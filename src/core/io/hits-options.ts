/**
 * What `ktl hits` and the trace workers add to the mapping from files on disk: a saved kallsyms
 * for raw addresses and a vmlinux with DWARF for `sym+0xoff` lines (through addr2line). A bad
 * kallsyms file is an error naming the file and line (KallsymsError), not a silent skip.
 */
import { basename } from 'node:path';
import type { HitsOptions } from '../analysis/hits';
import { addr2line } from './addr2line';
import { loadKallsyms } from './kallsyms-file';

export async function hitsOptions(sourceRoot: string, paths: { kallsyms?: string | null; vmlinux?: string | null }): Promise<HitsOptions> {
  const kallsyms = paths.kallsyms ? { table: await loadKallsyms(paths.kallsyms), origin: basename(paths.kallsyms) } : null;
  const vmlinux = paths.vmlinux ?? null;
  return {
    kallsyms,
    vmlinuxName: vmlinux ? basename(vmlinux) : null,
    lineOf: vmlinux
      ? async (symbol, offset) => (await addr2line(vmlinux, symbol, `0x${offset.toString(16)}`, sourceRoot)) ?? null
      : null,
  };
}
