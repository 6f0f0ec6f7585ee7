// The Perfetto (Chrome Trace Event Format) export of every ftrace fixture and every capture
// passes the spec checker (test/helpers/trace-event-check.ts), and its event instants are as
// many as the trace's events (what `ktl stats` counts: computeStats). Lifecycle objects with
// two or more steps become flows that pair up; sched_switch gives task slices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadTraceFile } from '../../src/core/io/file-source';
import { computeStats } from '../../src/core/analysis/stats';
import { exportPerfetto } from '../../src/core/analysis/export/perfetto';
import { analyzeLifecycles } from '../../src/core/analysis/lifecycle/analyze';
import { builtinModel, builtinModelNames } from '../../src/core/analysis/lifecycle/models/index';
import type { LifecycleModel } from '../../src/core/analysis/lifecycle/model';
import { checkTraceEvents } from '../helpers/trace-event-check';
import { runKtl } from '../helpers/lifecycle-golden';

const MODELS = builtinModelNames().map((n) => builtinModel(n) as LifecycleModel);
const dir = (d: string, ext: RegExp): string[] =>
  readdirSync(d)
    .filter((f) => ext.test(f))
    .sort()
    .map((f) => join(d, f));
const FIXTURES = [...dir('test/fixtures/ftrace', /\.trace$/), ...dir('test/fixtures/diff', /\.trace$/), ...dir('test/fixtures/pcap', /\.pcapn?g?$/)];

async function exportText(file: string): Promise<{ text: string; events: number; flowsExpected: number; chunks: number }> {
  const trace = await loadTraceFile(file);
  try {
    const parts: string[] = [];
    await exportPerfetto(trace, { write: (c) => void parts.push(c) }, { models: MODELS, file: basename(file) });
    let flowsExpected = 0;
    if (trace.meta.format !== 'pcap' && trace.meta.format !== 'pcapng') {
      for (const m of MODELS) flowsExpected += analyzeLifecycles(trace, m).objects.filter((o) => o.steps >= 2).length;
    }
    return { text: parts.join(''), events: computeStats(trace).events, flowsExpected, chunks: parts.length };
  } finally {
    trace.close();
  }
}

for (const file of FIXTURES) {
  test(`perfetto export: ${basename(file)} passes the trace event format check, one instant per event`, async () => {
    const { text, events, flowsExpected } = await exportText(file);
    const r = checkTraceEvents(JSON.parse(text));
    assert.deepEqual(r.problems, []);
    assert.equal(r.eventInstants, events);
    assert.equal(r.flowIds, flowsExpected);
  });
}

test('perfetto export: sched_switch becomes task slices, skb lifecycles become flows across CPUs', async () => {
  const { text } = await exportText('test/fixtures/ftrace/lifecycle-veth-rps.trace');
  const doc = JSON.parse(text) as { traceEvents: { ph: string; cat?: string; tid: number; id?: number; args?: Record<string, unknown> }[] };
  const slices = doc.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'sched');
  const switches = readFileSync('test/fixtures/ftrace/lifecycle-veth-rps.trace', 'utf8').split('\n').filter((l) => / sched_switch: /.test(l) && !/ prev_pid=0 /.test(l)).length;
  // A slice per switch away from a real task (the idle task has none), plus the tasks still on a CPU at the end.
  assert.ok(slices.length >= switches && slices.length <= switches + 2, `${slices.length} slices for ${switches} switches`);
  const byFlow = new Map<number, Set<number>>();
  for (const e of doc.traceEvents) if (e.ph === 's' || e.ph === 't' || e.ph === 'f') byFlow.set(e.id as number, (byFlow.get(e.id as number) ?? new Set()).add(e.tid));
  assert.ok([...byFlow.values()].some((cpus) => cpus.size >= 2), 'some skb flow crosses CPUs (RPS)');
});

test('perfetto export: the checker catches what a viewer would choke on', () => {
  const base = { pid: 1, tid: 1, name: 'x' };
  const named = { ph: 'M', name: 'thread_name', pid: 1, tid: 1, ts: 0, args: { name: 't' } };
  const problems = (evs: object[]): string[] => checkTraceEvents({ traceEvents: [named, ...evs] }).problems;
  assert.deepEqual(problems([{ ...base, ph: 'i', s: 't', ts: 1 }]), []);
  assert.equal(problems([{ ...base, ph: 'i', ts: 2 }, { ...base, ph: 'i', ts: 1 }]).length, 1);
  // No pid, no tid, and so no named track.
  assert.deepEqual(problems([{ ph: 'i', ts: 1, name: 'x' }]), ['event 1: pid undefined', 'event 1: tid undefined', 'track undefined/undefined has no thread_name']);
  assert.equal(problems([{ ...base, ph: 'B', ts: 1 }]).length, 1);
  assert.equal(problems([{ ...base, ph: 's', id: 1, cat: 'c', ts: 1 }]).length, 1);
  assert.equal(problems([{ ...base, ph: 's', id: 1, cat: 'c', ts: 1 }, { ...base, ph: 'f', id: 1, cat: 'c', ts: 2 }]).length, 0);
  assert.equal(problems([{ ...base, ph: 'X', ts: 1, dur: 5 }, { ...base, ph: 'X', ts: 2, dur: 10 }]).length, 1);
  assert.equal(checkTraceEvents({ traceEvents: [{ ...base, pid: 2, ph: 'i', ts: 1 }] }).problems.length, 1);
  // Async slices: b then e, same name, not backwards.
  const b = { ...base, ph: 'b', id: '0:1', cat: 'pair', ts: 1 };
  assert.deepEqual(problems([b, { ...b, ph: 'e', ts: 3 }]), []);
  assert.equal(problems([b]).length, 1);
  assert.equal(problems([{ ...b, ph: 'e', ts: 3 }, b]).length, 1);
  assert.equal(problems([b, { ...b, ph: 'e', ts: 0.5 }]).length, 1);
  assert.equal(problems([b, { ...b, ph: 'e', ts: 3, name: 'y' }]).length, 1);
});

test('perfetto export --pair: one async slice per pair ktl latency finds, from the opening line to the closing one', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ktl-export-pair-'));
  try {
    const file = 'test/fixtures/ftrace/veth-ping.trace';
    const path = join(out, 'p.json');
    const pair = ['--pair', 'sched_wakeup,sched_switch', '--key', 'pid,next_pid'];
    const said = JSON.parse(runKtl(['export', file, '--to', 'perfetto', '--out', path, ...pair])) as { pairs: { written: number; backwards: number } };
    const latency = JSON.parse(runKtl(['latency', file, ...pair, '--json', '--worst', '1000000'])) as { count: number; worst: { openLine: number; closeLine: number; durNs: number }[] };
    assert.ok(latency.count > 100, `the fixture has wakeups: ${latency.count}`);
    assert.deepEqual(said.pairs, { written: latency.count, backwards: 0 });
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: { ph: string; id?: string; ts: number; args?: Record<string, unknown> }[] };
    const r = checkTraceEvents(doc);
    assert.deepEqual(r.problems, []);
    assert.equal(r.asyncIds, latency.count);
    // Each slice spans its pair's lines and duration (µs in the file, ns in ktl latency).
    const begin = new Map<string, { ts: number; line: unknown }>();
    const slices: string[] = [];
    for (const e of doc.traceEvents) {
      if (e.ph === 'b') begin.set(e.id as string, { ts: e.ts, line: e.args?.['ktl.line'] });
      if (e.ph === 'e') {
        const b0 = begin.get(e.id as string);
        assert.ok(b0);
        slices.push(`${String(b0.line)}>${String(e.args?.['ktl.line'])}:${Math.round((e.ts - b0.ts) * 1000)}`);
      }
    }
    assert.deepEqual(slices.sort(), latency.worst.map((w) => `${w.openLine}>${w.closeLine}:${w.durNs}`).sort());
    assert.throws(() => runKtl(['export', file, '--to', 'jsonl', '--out', path, ...pair]), /--pair is for --to perfetto/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('ktl export --to perfetto writes the file (through .partial) with as many events as ktl stats', () => {
  const out = mkdtempSync(join(tmpdir(), 'ktl-export-'));
  try {
    const file = 'test/fixtures/ftrace/veth-ping.trace';
    const path = join(out, 'v.json');
    const said = JSON.parse(runKtl(['export', file, '--to', 'perfetto', '--out', path])) as { events: number; files: string[] };
    const stats = JSON.parse(runKtl(['stats', file, '--json'])) as { events: number };
    assert.equal(said.events, stats.events);
    assert.deepEqual(said.files, [path]);
    assert.deepEqual(readdirSync(out), ['v.json']);
    const r = checkTraceEvents(JSON.parse(readFileSync(path, 'utf8')));
    assert.deepEqual(r.problems, []);
    assert.equal(r.eventInstants, stats.events);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
