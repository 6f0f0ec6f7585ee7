// `sym+0xoff` -> exact line through addr2line (kernelTrace.vmlinux, ktl hits --vmlinux), on a
// real ELF with DWARF built here with gcc -g: there is no vmlinux with debug info on this
// machine, and addr2line reads a program's DWARF the same way. The program has seed 004's
// shape: a flush function inlined into __xsk_map_flush, probed as `__xsk_map_flush+0x4e`. It is
// named xsk_sock_flush, not xsk_flush: an event named after a function of the tree is a perf
// probe on that function's entry and maps by name; addr2line is for offsets nothing else
// places. The expected line comes from objdump's line table, not from addr2line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addr2line } from '../../src/core/io/addr2line';
import { hitsOptions } from '../../src/core/io/hits-options';
import { computeHits } from '../../src/core/analysis/hits';
import { FunctionIndex } from '../../src/core/source/function-index';
import { DiskSourceTree, findRipgrep } from '../../src/core/io/source-files';
import { cParser } from '../helpers/source';
import { readFtraceFile } from '../helpers/read';

const SOURCE = `#include <stddef.h>
#include <stdio.h>

struct xdp_sock {
	int flushed;
	int queued;
	struct xdp_sock *next;
};

static struct xdp_sock *flush_list;

static inline __attribute__((always_inline)) void xsk_sock_flush(struct xdp_sock *xs)
{
	xs->flushed += xs->queued;
	xs->queued = 0;
	if (xs->flushed > 1000)
		xs->flushed = 0;
}

void __xsk_map_flush(void)
{
	struct xdp_sock *xs, *tmp;

	for (xs = flush_list; xs; xs = tmp) {
		tmp = xs->next;
		xsk_sock_flush(xs);
		xs->next = NULL;
	}
	flush_list = NULL;
}

int main(void)
{
	struct xdp_sock a = { 0, 3, NULL };

	flush_list = &a;
	__xsk_map_flush();
	printf("%d\\n", a.flushed);
	return 0;
}
`;

/** The line objdump -dl attributes to address `start + offset` of `fn` (the innermost, inlined one). */
function objdumpLine(elf: string, fn: string, offset: number): { line: number; fn: string } {
  const out = execFileSync('objdump', ['-dl', '--no-show-raw-insn', elf], { encoding: 'utf8' });
  const start = out.indexOf(`<${fn}>:`);
  assert.ok(start >= 0, `${fn} not in objdump output`);
  const base = Number.parseInt(/^([0-9a-f]+) </m.exec(out.slice(out.lastIndexOf('\n', start) + 1))?.[1] ?? 'x', 16);
  let line = 0;
  let inFn = fn;
  for (const l of out.slice(start).split('\n').slice(1)) {
    if (l === '') break;
    const f = /^(\w+)\(\):$/.exec(l);
    if (f) inFn = f[1] as string;
    const m = /\.c:(\d+)/.exec(l);
    if (m) line = Number(m[1]);
    const insn = /^\s+([0-9a-f]+):/.exec(l);
    if (insn && Number.parseInt(insn[1] as string, 16) >= base + offset) return { line, fn: inFn };
  }
  throw new Error(`${fn}+0x${offset.toString(16)} is past the function`);
}

const have = (tool: string): boolean => {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

test('addr2line and hits on a real ELF with DWARF: the inlined line of sym+off, or the function line with the reason', { skip: !have('gcc') || !have('addr2line') ? 'gcc/addr2line missing' : false }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktl-addr2line-'));
  try {
    writeFileSync(join(dir, 'xsk.c'), SOURCE);
    const elf = join(dir, 'xsk');
    execFileSync('gcc', ['-g', '-O0', '-o', elf, join(dir, 'xsk.c')]);
    const expected = objdumpLine(elf, '__xsk_map_flush', 0x4e);
    assert.equal(expected.fn, 'xsk_sock_flush', 'offset 0x4e is in the inlined function, as in seed 004');

    // DWARF names /tmp/.../xsk.c: the source root maps it back to xsk.c.
    assert.deepEqual(await addr2line(elf, '__xsk_map_flush', '0x4e', dir), { file: 'xsk.c', line: expected.line, function: 'xsk_sock_flush' });
    assert.equal(await addr2line(elf, 'no_such_symbol', '0x4e', dir), undefined);
    assert.equal(await addr2line(elf, '__xsk_map_flush; rm -rf /', '0x4e', dir), undefined, 'names are validated, never passed to a shell');

    // Seed 004's trace: `xsk_flush: (__xsk_map_flush+0x4e/0x180)` on this tree and ELF.
    const index = new FunctionIndex(new DiskSourceTree(dir, findRipgrep()), await cParser());
    const tree = new DiskSourceTree(dir, findRipgrep());
    const trace = readFtraceFile('test/fixtures/ftrace/seed004-xsk-flush-race.trace');
    const flush = (r: Awaited<ReturnType<typeof computeHits>>) => r.hits.filter((h) => h.event === 'xsk_flush');

    const exact = flush(await computeHits(trace, index, tree, await hitsOptions(dir, { vmlinux: elf })));
    assert.deepEqual(exact.map((h) => [h.file, h.line, h.function, h.count, h.mapping]), [['xsk.c', expected.line, 'xsk_sock_flush', 2, 'probe-offset']]);
    assert.equal(exact[0]?.note, '__xsk_map_flush+0x4e is this line (inlined xsk_sock_flush), per addr2line on xsk');

    // Without a vmlinux: the definition line of __xsk_map_flush (xsk.c:20), and why.
    const fallback = flush(await computeHits(trace, index, tree, await hitsOptions(dir, {})));
    assert.deepEqual(fallback.map((h) => [h.file, h.line, h.mapping]), [['xsk.c', 20, 'probe-symbol']]);
    assert.match(fallback[0]?.note ?? '', /exact line of an offset needs DWARF \(kernelTrace\.vmlinux/);

    // A stripped ELF: addr2line cannot resolve; the function line, saying addr2line did not.
    execFileSync('strip', ['-o', `${elf}-stripped`, elf]);
    const stripped = flush(await computeHits(trace, index, tree, await hitsOptions(dir, { vmlinux: `${elf}-stripped` })));
    assert.deepEqual(stripped.map((h) => [h.file, h.line, h.mapping]), [['xsk.c', 20, 'probe-symbol']]);
    assert.equal(stripped[0]?.note, 'addr2line on xsk-stripped did not resolve __xsk_map_flush+0x4e: shown on the definition of __xsk_map_flush');
    trace.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
