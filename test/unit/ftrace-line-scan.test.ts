// The WebAssembly line scanner (src/core/formats/ftrace/line-scan/) reads the common ftrace lines
// exactly as the JavaScript hot path does: every ftrace fixture and third-party ftrace text,
// and a file of every shape the scanner must hand back, read with it and without it, in chunks
// of several sizes (so lines straddle chunks), compared column by column, string by string,
// issue by issue; and it reads most events of the real traces itself.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FtraceTextReader } from '../../src/core/formats/ftrace/reader';
import { setLineScanEnabled } from '../../src/core/formats/ftrace/line-scan/line-scan';
import { readWith, textFiles } from '../helpers/text-formats';
import { fullDump } from '../helpers/full-dump';
import { SHARED_CORPUS } from '../helpers/third-party';
import { rng } from '../helpers/rng';
import { MemoryBudget, withMemoryBudget } from '../../src/core/trace/memory-budget';

after(() => setLineScanEnabled(true));

/** The trace, its issues, and how many events the scanner read. */
function read(bytes: Uint8Array, chunk: number, scanner: boolean, maxLineBytes?: number): { dump: unknown; scanned: number } {
  setLineScanEnabled(scanner);
  let reader: FtraceTextReader | null = null;
  const trace = readWith(
    () => (reader = new FtraceTextReader(maxLineBytes === undefined ? {} : { maxLineBytes })),
    bytes,
    chunk,
  );
  const issues = trace.issues.map((i) => `${i.line}@${i.offset}: ${i.message}`);
  return { dump: { full: fullDump(trace), issues, issueCount: trace.issueCount, meta: trace.meta, lost: trace.lost }, scanned: (reader as unknown as FtraceTextReader).scannedByWasm };
}

function same(bytes: Uint8Array, what: string, chunks: readonly number[], maxLineBytes?: number): number {
  let scanned = 0;
  for (const chunk of chunks) {
    const js = read(bytes, chunk, false, maxLineBytes);
    const wasm = read(bytes, chunk, true, maxLineBytes);
    assert.equal(js.scanned, 0);
    assert.deepEqual(wasm.dump, js.dump, `${what}, chunks of ${chunk} bytes`);
    scanned = Math.max(scanned, wasm.scanned);
  }
  return scanned;
}

const ours = textFiles('test/fixtures/ftrace');
const theirs = ['ftrace', 'systrace', 'bpf'].flatMap((d) => textFiles(join(SHARED_CORPUS, d)));

/** Fixtures of common lines only (tracepoints, with and without tgid or irq-info, pipe, buffer-started notes). */
const COMMON = ['lifecycle-veth-rps', 'lost-events-pipe', 'overrun-buffer-started', 'veth-ping-clock-mono-raw', 'veth-ping-noirqinfo', 'veth-ping-pipe', 'veth-ping-tgid', 'veth-ping'];

test('every ftrace fixture reads the same with the scanner, which reads all events of the common ones but the first', () => {
  assert.ok(ours.length >= 15, `${ours.length} fixtures`);
  for (const f of ours) {
    const bytes = readFileSync(f);
    const scanned = same(bytes, f, [1 << 20, 4096, 61]);
    const name = f.split('/').pop()?.replace(/\.trace$/, '') ?? '';
    if (!COMMON.includes(name)) continue;
    setLineScanEnabled(false);
    const events = readWith(() => new FtraceTextReader(), bytes).length;
    // The first event's line is read by the JavaScript: it sets the origin the scanner's times are relative to.
    assert.equal(scanned, events - 1, `${f}: scanner read ${scanned} of ${events} events`);
  }
});

test('third-party ftrace texts read the same with the scanner', { skip: theirs.length === 0 ? `no corpus at ${SHARED_CORPUS}` : false }, () => {
  for (const f of theirs) same(readFileSync(f), f, [1 << 20, 509]);
});

/** Lines of every shape around common ones: what the scanner must hand back, or read the same. */
function shapes(): string {
  const ev = (comm: string, rest = '[001] d..2.  1000.000100: sched_waking: comm=x pid=1'): string => `${comm} ${rest}`;
  const lines = [
    '# tracer: nop',
    '#',
    ev('          <idle>-0'),
    ev('              ip-23135'),
    ev('     Web Content-2711'),
    ev('  kworker/u8:2-123'),
    ev('        a [1]-5'),
    ev('   x-(12)-7'),
    ev('              ip-23135  (  23135)'),
    ev('              ip-23135  (-------)'),
    ev('              ip-23135  ( 1 2 3 )'),
    ev('              ip-23135  (12-3)'),
    ev('              ip-23135  (99999999999)'),
    ev('              ip-12345678901'),
    ev('              ip-1', '[65535] ....  1000.000200: e: x'),
    ev('              ip-1', '[65536] ....  1000.000200: e: x'),
    ev('              ip-1', '[1]   1000.000300: no_flags: x'),
    ev('              ip-1', '[1] ....  1000.1234567891234: long_frac: x'),
    ev('              ip-1', '[1] ....  1000.1: short_frac: x'),
    ev('              ip-1', '[1] ....  1234567890123456.000001: huge_sec: x'),
    ev('              ip-1', '[1] ....  123456789012345.000001: big_sec: x'),
    ev('              ip-1', '[1] ....  123456789012345678.000001: huger_sec: x'),
    ev('              ip-1', '[1] ....  1000.: dot_only: x'),
    ev('              ip-1', '[1] ....  1000.00x1: bad_frac: x'),
    ev('              ip-1', '[1] ....  1000.000400: name.with.dots: x'),
    ev('              ip-1', '[1] ....  1000.000400: 9digit_first: x'),
    ev('              ip-1', '[1] ....  1000.000400: colonless payload'),
    ev('              ip-1', '[1] ....  1000.000400: name:nospace'),
    ev('              ip-1', '[1] ....  1000.000400: name:'),
    ev('              ip-1', '[1] ....  1000.000400: name:\t tabbed'),
    ev('              ip-1', '[1] ....  1000.000400: <stack trace>'),
    ' => __schedule',
    ' => schedule',
    '=> not_a_frame_after_header',
    ev('              ip-1', '[1] ....  1000.000500: tracing_mark_write: hello\r'),
    ev('              ip-1', '[1] ....  1000.000500: e: nbsp\u00a0inside'),
    ev('\u00a0\u00a0ip-1', '[1]\u00a0....\u00a0 1000.000600: nbsp_prefix: x'),
    ev('              ip-1', '[1] ....  1000.000700: e: nul\u0000byte'),
    ev('              ip-1', '[1] ....  17000000: counter_after: x'),
    '',
    '   ',
    'CPU:1 [LOST 12 EVENTS]',
    ev('              ip-1', '[1] ....  1000.000800: e: ' + 'y'.repeat(300)),
    ev('              ip-1', '[1] ....  0999.000000: earlier: x'),
    ev('    -1', '[1] ....  1000.000900: empty_comm: x'),
    ev('              ip-1', '[01] ....  1000.001000: e: x'),
    ev('              ip-1', '[1]  ....  1000.001000: two_spaces: x'),
    ev('              ip-1', '[1] ....: 1000.001000: colon_flags: x'),
    ev('              ip-1', '[1] 123.5: 1000.001100: ts_like_flags: x'),
  ];
  return lines.join('\n');
}

test('lines of every shape read the same with the scanner, in every chunk size, and with a line limit', () => {
  const text = shapes();
  const bytes = new TextEncoder().encode(`${text}\n${text}\n${text}`);
  const scanned = same(bytes, 'shapes', [1 << 20, 1, 2, 3, 7, 16, 17, 64, 100, 255]);
  assert.ok(scanned > 20, `scanner read ${scanned} events`);
  // Lines over the limit are the splitter's (skipped, with an issue), whatever their shape.
  same(bytes, 'shapes, 120-byte lines', [1 << 20, 33], 120);
  // No newline at the end: the last line is read by the splitter's finish.
  same(bytes.subarray(0, bytes.length - 5), 'shapes cut short', [1 << 20, 13]);
});

test('shapes cut at every byte read the same with the scanner', () => {
  const bytes = new TextEncoder().encode(shapes());
  for (let end = 0; end <= bytes.length; end += 7) same(bytes.subarray(0, end), `first ${end} bytes`, [1 << 20, 29]);
});

test('more names than the scanner table holds, and names that share its hash, read the same', () => {
  const r = rng(17);
  const lines: string[] = [];
  // 20,000 comms (the table holds 4096 names in 256 KiB), and on every tenth line an event name
  // of 97 sharing their first and last 8 bytes and length (the scanner hashes those and the middle 8).
  for (let i = 0; i < 20000; i++) {
    const comm = `c${i.toString(36)}${'z'.repeat(Math.floor(r() * 12))}`;
    const name = i % 10 === 0 ? `evt_aaaa${'m'.repeat(6)}${(i % 97).toString().padStart(4, '0')}${'m'.repeat(6)}_bbbbbbbb` : `ev_${i % 50}`;
    lines.push(`${comm.padStart(16)}-${i % 4000} [00${i % 4}] d..2.  1000.${String(i).padStart(6, '0')}: ${name}: v=${i}`);
    if (i % 500 === 0) lines.push(`${'long'.repeat(40)}-1 [000] ....  1000.${String(i).padStart(6, '0')}: ${'n'.repeat(200)}: x`);
  }
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  // In one chunk of all its bytes too (over 1 MiB: the scanner's memory grows, its views are made again).
  assert.ok(bytes.length > 1 << 20);
  const scanned = same(bytes, 'many names', [1 << 20, 4093, bytes.length]);
  // Until the table is full, a new name is registered and its line scanned again.
  assert.ok(scanned > 3000, `scanner read ${scanned} events`);
});

test('random common lines with random damage read the same with the scanner', () => {
  const r = rng(5);
  const pick = (s: string): string => s[Math.floor(r() * s.length)] as string;
  for (let round = 0; round < 40; round++) {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      let line = `${'ab-c d'.slice(0, 1 + Math.floor(r() * 6)).padStart(16)}-${Math.floor(r() * 99999)} ${r() < 0.3 ? `(${Math.floor(r() * 99999)}) ` : ''}[00${Math.floor(r() * 4)}] d..2.  ${1000 + Math.floor(r() * 5)}.${String(Math.floor(r() * 1e6)).padStart(6, '0')}: ev_${Math.floor(r() * 5)}: a=${i}`;
      if (r() < 0.2) {
        const at = Math.floor(r() * line.length);
        line = line.slice(0, at) + pick(' \t-[]():.#=>\r\u00a0\u0000x9') + line.slice(at + (r() < 0.5 ? 1 : 0));
      }
      lines.push(line);
    }
    same(new TextEncoder().encode(lines.join(r() < 0.5 ? '\n' : '\r\n')), `round ${round}`, [1 << 20, 1 + Math.floor(r() * 300)]);
  }
});

test("the scanner's memory is counted in the read's budget, its growth too", () => {
  const bytes = readFileSync('test/fixtures/ftrace/veth-ping.trace');
  const counted = (scanner: boolean, chunk: number): number => {
    setLineScanEnabled(scanner);
    const budget = new MemoryBudget(Infinity);
    readWith(() => withMemoryBudget(budget, () => new FtraceTextReader()), bytes, chunk);
    return budget.columnBytes;
  };
  const without = counted(false, 1 << 20);
  // Its input (1 MiB), staging arrays, name table: over 1 MiB more.
  assert.ok(counted(true, 1 << 20) - without > 1 << 20, `${counted(true, 1 << 20)} vs ${without}`);
  // A chunk of 3 MiB grows its memory: counted as well.
  const big = new Uint8Array(3 << 20).fill(0x0a);
  big.set(bytes);
  setLineScanEnabled(true);
  const budget = new MemoryBudget(Infinity);
  readWith(() => withMemoryBudget(budget, () => new FtraceTextReader()), big, big.length);
  assert.ok(budget.columnBytes - without > 3 << 20, `${budget.columnBytes}`);
});
