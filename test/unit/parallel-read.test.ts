// Reading a text trace in byte ranges on several threads (core/io/parallel-load.ts) gives the
// very Trace reading it in order gives: every fixture and third-party text trace, cut into 2..4
// ranges of forced small sizes (so small files are split too) and at random places, compared
// column by column, string by string, issue by issue. Then what only real worker threads
// show (transferred columns, a failing worker), cancellation and the memory budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTraceFile, NotATraceError, type LoadOptions } from '../../src/core/io/file-source';
import type { ReadPlan } from '../../src/core/io/parallel-load';
import type { Trace } from '../../src/core/trace/trace';
import { fullDump } from '../helpers/full-dump';
import { BLOCK_SIZE, uint32Column } from '../../src/core/trace/columns';
import { SHARED_CORPUS } from '../helpers/third-party';
import { rng } from '../helpers/rng';
import { runKtlStatus } from '../helpers/lifecycle-golden';

const TEXT_DIRS = ['test/fixtures/ftrace', 'test/fixtures/trace-cmd-report', 'test/fixtures/perf', 'test/fixtures/strace', 'test/fixtures/printf'];
const CORPUS_DIRS = ['ftrace', 'trace-cmd', 'perf', 'strace', 'bpf', 'systrace'].map((d) => join(SHARED_CORPUS, d));

function textFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !n.endsWith('.md') && !n.endsWith('.dat') && !n.endsWith('.json') && !n.endsWith('.sh'))
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}

async function load(path: string, opts: LoadOptions): Promise<{ trace: Trace | null; plan: ReadPlan | null }> {
  let plan: ReadPlan | null = null;
  try {
    const trace = await loadTraceFile(path, { ...opts, onPlan: (p) => (plan ??= p) });
    return { trace, plan };
  } catch (e) {
    if (e instanceof NotATraceError) return { trace: null, plan };
    throw e;
  }
}

const fixtures = TEXT_DIRS.flatMap(textFiles);
const corpus = CORPUS_DIRS.flatMap(textFiles);

test('there are fixtures to split', () => {
  assert.ok(fixtures.length >= 20, `${fixtures.length} text fixtures`);
});

/** Reads `path` in order and in ranges of every forced size, compares; returns how many reads were split. */
async function compareSplits(path: string, settings: readonly { jobs: number; rangeBytes: number }[]): Promise<number> {
  const whole = await load(path, { jobs: 1 });
  if (!whole.trace) return 0;
  const expected = fullDump(whole.trace);
  let split = 0;
  for (const s of settings) {
    const got = await load(path, { ...s, rangeRunner: 'same-thread' });
    assert.ok(got.trace, `${path}: read in ranges but not in order`);
    if (got.plan && 'starts' in got.plan) split++;
    assert.deepEqual(fullDump(got.trace), expected, `${path} with ${JSON.stringify(s)} (${JSON.stringify(got.plan)})`);
  }
  return split;
}

test('every text fixture: ranges of forced small sizes give the same trace as reading in order', async () => {
  const split = new Map<string, number>();
  for (const path of fixtures) {
    const size = statSync(path).size;
    const n = await compareSplits(path, [
      { jobs: 2, rangeBytes: Math.ceil(size / 2) },
      { jobs: 3, rangeBytes: 97 },
      { jobs: 4, rangeBytes: 1 },
    ]);
    const dir = path.split('/').at(-2) as string;
    split.set(dir, (split.get(dir) ?? 0) + n);
  }
  // The formats read in ranges were split (function_graph and the systrace page are read in
  // order, and so are strace and printf).
  assert.ok((split.get('ftrace') ?? 0) >= 30, JSON.stringify([...split]));
  assert.ok((split.get('trace-cmd-report') ?? 0) >= 9, JSON.stringify([...split]));
  assert.ok((split.get('perf') ?? 0) >= 8, JSON.stringify([...split]));
  assert.equal(split.get('strace') ?? 0, 0);
  assert.equal(split.get('printf') ?? 0, 0);
});

test('third-party text traces (shared corpus): ranges give the same trace as reading in order', { skip: corpus.length === 0 ? `shared corpus absent (${SHARED_CORPUS})` : false }, async () => {
  let split = 0;
  for (const path of corpus) split += await compareSplits(path, [{ jobs: 2, rangeBytes: 1 }, { jobs: 4, rangeBytes: 1 }]);
  assert.ok(split > 0, 'some corpus trace was split');
});

test('random cut places (the chunk-split fuzz, for ranges): same trace', async () => {
  const r = rng(17);
  const ftrace = fixtures.filter((p) => p.includes('/ftrace/'));
  for (let round = 0; round < 40; round++) {
    const path = ftrace[Math.floor(r() * ftrace.length)] as string;
    const size = statSync(path).size;
    const jobs = 2 + Math.floor(r() * 7);
    await compareSplits(path, [{ jobs, rangeBytes: 1 + Math.floor(r() * (size / 2)) }]);
  }
});

const dir = mkdtempSync(join(tmpdir(), 'ktl-parallel-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** An ftrace file with every shape a cut may land beside: header, stack frames, CRLF, blank lines, annotations, tgid, an overlong line. */
function edgeTrace(lines: number, crlf: boolean): string {
  const out = ['# tracer: nop', '#', '# entries-in-buffer/entries-written: 9/9   #P:4', '#'];
  for (let i = 0; i < lines; i++) {
    const ts = `${1000 + Math.floor(i / 7)}.${String(100000 + ((i * 7919) % 899999)).padStart(6, '0')}`;
    const cpu = String(i % 4).padStart(3, '0');
    switch (i % 11) {
      case 0:
        out.push(`          <idle>-0     [${cpu}] d.s2. ${ts}: kernel_stack: <stack trace>`, ' => __netif_receive_skb', ' => process_backlog', ' => net_rx_action');
        break;
      case 1:
        out.push('');
        break;
      case 2:
        out.push(`CPU:${i % 4} [LOST ${i} EVENTS]`);
        break;
      case 3:
        out.push(`##### CPU ${i % 4} buffer started ####`);
        break;
      case 4:
        out.push(`            ping-${200 + (i % 5)}   (  ${200 + (i % 5)}) [${cpu}] ..... ${ts}: net_dev_xmit: dev=veth${i % 3} skbaddr=0000000012${i} len=98 rc=0`);
        break;
      case 5:
        out.push(`not an event line ${i}`);
        break;
      case 6:
        out.push('# tracer: function');
        break;
      default:
        out.push(`   ksoftirqd/${i % 4}-${10 + (i % 4)}    [${cpu}] ..s1. ${ts}: napi_poll: napi poll on napi struct 0000${i} for device eth${i % 2} work ${i % 64} budget 64`);
    }
  }
  return out.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
}

test('cuts at every kind of line (stack frames, blank lines, CRLF, annotations, issues): same trace', async () => {
  for (const crlf of [false, true]) {
    const path = join(dir, `edge-${crlf ? 'crlf' : 'lf'}.trace`);
    writeFileSync(path, edgeTrace(400, crlf));
    const size = statSync(path).size;
    const settings = [];
    for (let jobs = 2; jobs <= 24; jobs++) settings.push({ jobs, rangeBytes: 1 });
    for (const parts of [2, 3, 5]) settings.push({ jobs: parts, rangeBytes: Math.ceil(size / parts) });
    const split = await compareSplits(path, settings);
    assert.equal(split, settings.length);
  }
});

test('trace-cmd report with several buffers and perf script callchains, cut everywhere: same trace', async () => {
  const report = ['cpus=2'];
  const perf: string[] = [];
  for (let i = 0; i < 300; i++) {
    const ts = `${2000 + Math.floor(i / 100)}.${String(100000 + i * 37).padStart(6, '0')}`;
    const buffer = ['', 'net: ', 'sched: ', 'a-much-longer-instance-name: '][(i * 7) % 4] as string;
    report.push(`${buffer}            ping-${400 + (i % 3)}   [00${i % 2}]  ${ts}: net_dev_xmit:         dev=veth${i % 5} skbaddr=0xffff${i} len=98 rc=0`);
    perf.push(`ping   ${500 + (i % 4)} [00${i % 2}]  ${ts}:      net:net_dev_xmit: dev=veth${i % 5} skbaddr=0xffff${i} len=98`);
    for (let f = 0; f < i % 4; f++) perf.push(`\tffffffff81e6${String(f).padStart(4, '0')} frame_${i % 9}_${f}+0x16e ([kernel.kallsyms])`);
    if (i % 4 !== 0 || i % 3 === 0) perf.push('');
  }
  for (const [name, text] of [
    ['buffers.report', report.join('\n')],
    ['callchains.perf', perf.join('\n')],
  ] as const) {
    const path = join(dir, name);
    writeFileSync(path, `${text}\n`);
    const settings = [];
    for (let jobs = 2; jobs <= 24; jobs++) settings.push({ jobs, rangeBytes: 1 });
    assert.equal(await compareSplits(path, settings), settings.length, name);
  }
});

test('a range may start with a blank line and the file may end without a newline', async () => {
  const path = join(dir, 'blank-start.trace');
  const body = edgeTrace(60, false).replace(/\n+$/, '');
  // Blank lines everywhere: some cut lands right before one.
  writeFileSync(path, body.replaceAll('\n', '\n\n'));
  const settings = [];
  for (let jobs = 2; jobs <= 16; jobs++) settings.push({ jobs, rangeBytes: 1 });
  assert.equal(await compareSplits(path, settings), settings.length);
});

test('function_graph and formats without range support are read in order, and say why', async () => {
  const graph = fixtures.find((p) => p.endsWith('funcgraph-args-retval.trace')) as string;
  const { plan } = await load(graph, { jobs: 4, rangeBytes: 1, rangeRunner: 'same-thread' });
  assert.deepEqual(plan, { inOrder: 'function_graph: calls nest per CPU in file order' });
  const strace = fixtures.find((p) => p.includes('/strace/')) as string;
  const s = await load(strace, { jobs: 4, rangeBytes: 1, rangeRunner: 'same-thread' });
  assert.ok(s.plan && 'inOrder' in s.plan, JSON.stringify(s.plan));
});

test('function_graph lines past the head: the file is read again in order', async () => {
  const path = join(dir, 'late-graph.trace');
  const graphLines = [' 0)               |  net_rx_action() {', ' 0)   0.250 us    |    __napi_poll();', ' 0)   1.000 us    |  }'];
  // Past the 64 KiB head, so the head alone does not show it.
  writeFileSync(path, `${edgeTrace(1500, false)}${graphLines.join('\n')}\n`);
  const plans: ReadPlan[] = [];
  const got = await loadTraceFile(path, { jobs: 3, rangeBytes: 1, rangeRunner: 'same-thread', onPlan: (p) => plans.push(p) });
  assert.ok('starts' in (plans[0] as ReadPlan));
  assert.match(JSON.stringify(plans[1]), /function_graph line at byte offset/);
  assert.deepEqual(fullDump(got), fullDump(await loadTraceFile(path, { jobs: 1 })));
});

test('worker threads: the same trace, column buffers moved from the workers', async () => {
  const picks = fixtures.filter((p) => /veth-ping\.trace$|lost-events-pipe|overrun-buffer-started/.test(p));
  assert.equal(picks.length, 3);
  for (const path of picks) {
    const expected = fullDump((await load(path, { jobs: 1 })).trace as Trace);
    const got = await load(path, { jobs: 3, rangeBytes: 1 });
    assert.ok(got.plan && 'starts' in got.plan && got.plan.starts.length === 3, JSON.stringify(got.plan));
    assert.deepEqual(fullDump(got.trace as Trace), expected, path);
  }
});

test('a worker that fails becomes an issue naming its byte range, and reading stops there', async () => {
  const path = join(dir, 'vanishing.trace');
  const moved = join(dir, 'vanishing-moved.trace');
  writeFileSync(path, edgeTrace(300, false));
  let starts: readonly number[] = [];
  // The calling thread has the file open; the workers open it by name and find a directory there.
  const got = await loadTraceFile(path, {
    jobs: 2,
    rangeBytes: 1,
    onPlan: (p) => {
      if (!('starts' in p)) return;
      starts = p.starts;
      renameSync(path, moved);
      mkdirSync(path);
    },
  });
  rmSync(path, { recursive: true });
  renameSync(moved, path);
  const full = await loadTraceFile(path, { jobs: 1 });
  const cut = starts[1] as number;
  const last = got.issues.at(-1);
  assert.ok(last);
  assert.match(last.message, new RegExp(`^reading bytes ${cut}\\.\\.${statSync(path).size} in a worker thread failed \\(.*\\); the events from there on are not read$`));
  assert.equal(last.offset, cut);
  assert.equal(got.bytesRead, cut);
  // Everything before the cut is there, as reading in order has it.
  const before = Array.from({ length: full.length }, (_, i) => i).filter((i) => full.record(i).offset < cut).length;
  assert.equal(got.length, before);
  assert.equal(got.line(got.length - 1), full.line(before - 1));
  // The issue's line is the line the failed range starts at.
  const text = readFileSync(path, 'latin1');
  assert.equal(last.line, text.slice(0, cut).split('\n').length);
  got.close();
  full.close();
});

test('BlockColumn.takeBlocks: blocks taken over at any fill of the last block hold the values in order', () => {
  const r = rng(5);
  for (let round = 0; round < 60; round++) {
    const col = uint32Column();
    const expected: number[] = [];
    for (let part = 0; part < 3; part++) {
      const length = [0, 1, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 3 * BLOCK_SIZE + 17][Math.floor(r() * 6)] as number;
      const blocks: Uint32Array[] = [];
      for (let i = 0; i < length; i++) {
        if (i % BLOCK_SIZE === 0) blocks.push(new Uint32Array(BLOCK_SIZE).fill(0xdead));
        const v = Math.floor(r() * 2 ** 32);
        (blocks.at(-1) as Uint32Array)[i % BLOCK_SIZE] = v;
        expected.push(v);
      }
      col.takeBlocks(blocks, length);
      assert.equal(col.length, expected.length);
    }
    for (let i = 0; i < expected.length; i++) if (col.get(i) !== expected[i]) assert.fail(`round ${round}: value ${i} is ${col.get(i)}, not ${expected[i]}`);
    assert.ok(col.byteLength() <= (Math.ceil(expected.length / BLOCK_SIZE) + 1) * BLOCK_SIZE * 4, 'no block beyond the values and one spare');
  }
});

/** Every column of every event, compared without building a dump (traces of many blocks). */
function assertSameColumns(got: Trace, want: Trace): void {
  assert.equal(got.length, want.length);
  assert.equal(got.strings.size, want.strings.size);
  for (let id = 0; id < want.strings.size; id++) assert.equal(got.strings.get(id), want.strings.get(id));
  for (let i = 0; i < want.length; i++) {
    const a = got.record(i);
    const b = want.record(i);
    if (
      got.tsNs(i) !== want.tsNs(i) ||
      got.cpu(i) !== want.cpu(i) ||
      got.pid(i) !== want.pid(i) ||
      got.tgid(i) !== want.tgid(i) ||
      got.commId(i) !== want.commId(i) ||
      got.eventId(i) !== want.eventId(i) ||
      got.flags(i) !== want.flags(i) ||
      got.line(i) !== want.line(i) ||
      a.offset !== b.offset ||
      a.length !== b.length ||
      a.payloadStart !== b.payloadStart
    ) {
      assert.fail(`event ${i} differs: ${JSON.stringify([got.line(i), a])} vs ${JSON.stringify([want.line(i), b])}`);
    }
  }
  assert.deepEqual([got.meta, got.originNs, got.bytesRead, got.issueCount, got.issues, got.lost, got.bufferStarts], [want.meta, want.originNs, want.bytesRead, want.issueCount, want.issues, want.lost, want.bufferStarts]);
}

/** A trace big enough for several column blocks (65,536 events each). */
function bigTrace(events: number): string {
  const out = ['# tracer: nop', '#'];
  for (let i = 0; i < events; i++) out.push(`          <idle>-0     [00${i % 4}] ..s1. ${1000 + Math.floor(i / 1e6)}.${String(i % 1e6).padStart(6, '0')}: napi_poll: work ${i % 64} budget 64`);
  return `${out.join('\n')}\n`;
}

test('ranges of many column blocks (worker threads): the same columns as reading in order', async () => {
  const path = join(dir, 'big.trace');
  writeFileSync(path, bigTrace(400_000));
  const want = await loadTraceFile(path, { jobs: 1 });
  for (const jobs of [2, 3]) {
    const got = await loadTraceFile(path, { jobs, rangeBytes: 1 });
    assertSameColumns(got, want);
    got.close();
  }
  want.close();
});

test('cancelling stops every range; what is kept is what reading in order had read up to a point', async (t) => {
  const path = join(dir, 'big.trace');
  const full = await loadTraceFile(path, { jobs: 1 });
  for (const rangeRunner of ['same-thread', 'worker'] as const) {
    await t.test(rangeRunner, async () => {
      const ac = new AbortController();
      let calls = 0;
      const got = await loadTraceFile(path, { jobs: 3, rangeBytes: 1, rangeRunner, signal: ac.signal, onProgress: () => ++calls === 2 && ac.abort() });
      assert.ok(got.length < full.length, `${got.length} of ${full.length}`);
      // (The line the stop cut in two is flushed as the last line, as reading in order does.)
      assert.ok(
        got.issues.slice(-2).some((i) => /reading cancelled at byte offset \d+ of \d+; the events before it are kept$/.test(i.message)),
        JSON.stringify(got.issues.slice(-2)),
      );
      for (let i = 0; i < got.length; i += 997) assert.equal(got.record(i).offset, full.record(i).offset);
      got.close();
    });
  }
  full.close();
});

test('the memory budget holds across the threads: every range stops, the kept events are a prefix', async () => {
  const path = join(dir, 'big.trace');
  const full = await loadTraceFile(path, { jobs: 1 });
  for (const rangeRunner of ['same-thread', 'worker'] as const) {
    // Three threads' first blocks alone (~3 x 3.3 MB) are over 8 MB: reading in ranges must stop.
    const got = await loadTraceFile(path, { jobs: 3, rangeBytes: 1, rangeRunner, maxMemoryBytes: 8 << 20 });
    assert.ok(got.length < full.length, `${rangeRunner}: ${got.length} of ${full.length}`);
    assert.ok(got.issues.some((i) => /memory budget 8 MiB reached at byte offset \d+/.test(i.message)), JSON.stringify(got.issues.slice(-2)));
    for (let i = 0; i < got.length; i += 997) assert.equal(got.line(i), full.line(i));
    got.close();
  }
  full.close();
});

test('ktl --jobs: a number of threads, the same output; anything else is a usage error', () => {
  const file = fixtures.find((p) => p.endsWith('veth-ping.trace')) as string;
  const one = runKtlStatus(['stats', file, '--json', '--jobs', '1']);
  const two = runKtlStatus(['stats', file, '--json', '--jobs', '2']);
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.stdout, one.stdout);
  const bad = runKtlStatus(['stats', file, '--jobs', 'many']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--jobs expects a number of threads \(1 reads in order, 0 one per core\), got "many"/);
});
