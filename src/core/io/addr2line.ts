/**
 * `sym+0xoff` -> source line through `addr2line -f -i -e <vmlinux>` (GNU binutils accepts
 * symbol+offset), when kernelTrace.vmlinux is set: for `sym+0xoff/0xsize` links (extension)
 * and for the hit counts of kprobes at an offset (worker). DWARF file names are build paths
 * (/build/linux-6.1/net/xdp/xsk.c or net/xdp/xsk.c): the longest tail of the path that
 * exists under the source root is the file. Runs as a child process, never on this thread's
 * time; any failure means "not resolved" and the caller falls back to the function line.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';

const TIMEOUT_MS = 20_000;

export interface Addr2LineHit {
  /** Relative to the source root, `/` separators. */
  readonly file: string;
  readonly line: number;
  /** The function addr2line names (innermost inlined one first). */
  readonly function: string;
}

export async function addr2line(vmlinux: string, symbol: string, offset: string, root: string): Promise<Addr2LineHit | undefined> {
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(symbol) || !/^0x[0-9a-fA-F]+$/.test(offset)) return undefined;
  const out = await new Promise<string | undefined>((resolve) => {
    execFile('addr2line', ['-f', '-i', '-e', vmlinux, `${symbol}+${offset}`], { timeout: TIMEOUT_MS, maxBuffer: 1 << 20 }, (err, stdout) =>
      resolve(err ? undefined : stdout),
    );
  });
  if (out === undefined) return undefined;
  const lines = out.split('\n');
  // Pairs: function, file:line[ (discriminator N)]; the first pair is where the instruction is.
  const fn = lines[0]?.trim();
  const m = /^(.*):(\d+)(?:\s.*)?$/.exec(lines[1]?.trim() ?? '');
  if (!fn || fn === '??' || !m || m[1] === '??' || Number(m[2]) === 0) return undefined;
  const file = await underRoot(m[1] as string, root);
  return file === undefined ? undefined : { file, line: Number(m[2]), function: fn };
}

async function underRoot(dwarfPath: string, root: string): Promise<string | undefined> {
  const parts = dwarfPath.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  for (let i = 0; i < parts.length; i++) {
    const tail = parts.slice(i);
    if (tail.includes('..')) continue;
    try {
      if ((await stat(path.join(root, ...tail))).isFile()) return tail.join('/');
    } catch {
      // not this tail
    }
  }
  return undefined;
}
