// Snapshots of a trace being read (the first screen while reading, `ktl events --limit`): after
// each chunk, what the reader shows equals reading just the bytes up to the last complete line,
// earlier snapshots stay as they were while reading goes on, and snapshotting does not change
// the finished trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createReader } from '../../src/core/formats/detect';
import { eventJson } from '../../src/core/formats/decode';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import type { FormatId, Trace } from '../../src/core/trace/trace';
import type { TraceSummary } from '../../src/protocol/messages';
import { canonicalDump } from '../helpers/dump';
import { readFormat } from '../helpers/text-formats';
import { eventMatcher } from '../../src/core/analysis/event-filter';
import { relNs } from '../../src/core/trace/time';
import { Session } from '../../src/worker/session';
import { TraceService } from '../../src/worker/trace-service';
import { answerWebview } from '../../src/worker/webview-handlers';
import { snapshotDue } from '../../src/core/io/file-source';

const LINE_FORMATS: readonly { format: FormatId; file: string }[] = [
  { format: 'ftrace', file: 'test/fixtures/ftrace/veth-ping.trace' },
  { format: 'ftrace', file: 'test/fixtures/ftrace/lost-events-pipe.trace' },
  { format: 'ftrace', file: 'test/fixtures/ftrace/funcgraph-args-retval.trace' },
  { format: 'trace-cmd-report', file: 'test/fixtures/trace-cmd-report/veth-ping.report' },
  { format: 'perf-script', file: 'test/fixtures/perf/net-ping-callchain.perf' },
  { format: 'perf-script', file: 'test/fixtures/perf/cpu-clock-dd-untimed.perf' },
  { format: 'strace', file: 'test/fixtures/strace/ping-f-tt-T-y.strace' },
  { format: 'strace', file: 'test/fixtures/strace/python-threads-mixed-output.strace' },
  { format: 'printf', file: 'test/fixtures/printf/bpftrace-net-kv.txt' },
];

/** Everything a row shows of event `i`. */
function eventDump(t: Trace, i: number): unknown {
  return { ...eventJson(t, i), flags: t.flags(i), text: t.payloadText(i) };
}

/** The summary's counts. */
function counts(s: TraceSummary): unknown {
  const byName = (a: readonly { name: string; count: number }[]) => Object.fromEntries(a.map((x) => [x.name, x.count]));
  const tasks = Object.fromEntries(s.tasks.map((x) => [`${x.comm}/${x.pid}`, x.count]));
  return { events: s.events, first: s.firstTsNs, duration: s.durationNs, byEvent: byName(s.eventCounts), byCpu: byName(s.cpuCounts), tasks };
}

/** The same counts, event by event through the trace's accessors: what the summary must say of every event. */
function naiveCounts(t: Trace): unknown {
  const inc = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  const byEvent: Record<string, number> = {};
  const byCpu: Record<string, number> = {};
  const tasks: Record<string, number> = {};
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < t.length; i++) {
    inc(byEvent, t.event(i));
    inc(byCpu, String(t.cpu(i)));
    inc(tasks, `${t.comm(i)}/${t.pid(i)}`);
    first = Math.min(first, t.tsNs(i));
    last = Math.max(last, t.tsNs(i));
  }
  if (t.length === 0) first = last = 0;
  return { events: t.length, first, duration: last - first, byEvent, byCpu, tasks };
}

/** Chunk sizes that do not divide lines evenly. */
const CHUNKS = [997, 8191];

for (const { format, file } of LINE_FORMATS) {
  test(`snapshot ${format} ${file}: after each chunk it equals reading the file up to its last complete line`, () => {
    const bytes = new Uint8Array(readFileSync(file));
    const source = new MemoryByteSource(bytes);
    for (const chunk of CHUNKS) {
      const reader = createReader(format);
      const seen: { trace: Trace; length: number; issues: string; settled: unknown[] }[] = [];
      // The summary's counts carried from snapshot to snapshot (worker/trace-service.ts).
      let service: TraceService | null = null;
      for (let pos = 0; pos < bytes.length; pos += chunk) {
        const end = Math.min(bytes.length, pos + chunk);
        reader.push(bytes.slice(pos, end));
        const snap = (reader.snapshot as NonNullable<typeof reader.snapshot>).call(reader, source);
        const settled = snap.partial?.settled ?? -1;
        assert.ok(settled >= 0 && settled <= snap.length, `settled ${settled} of ${snap.length}`);
        // The prefix that whole lines cover: what a reader given only those bytes would see.
        const lineEnd = bytes.subarray(0, end).lastIndexOf(0x0a) + 1;
        const prefix = readFormat(format, bytes.subarray(0, lineEnd));
        assert.equal(snap.length, prefix.length, `chunk ${chunk}, byte ${end}: event count`);
        assert.deepEqual(snap.meta, prefix.meta, `chunk ${chunk}, byte ${end}: meta`);
        const settledEvents: unknown[] = [];
        for (let i = 0; i < settled; i++) {
          settledEvents.push(eventDump(snap, i));
          assert.deepEqual(settledEvents[i], eventDump(prefix, i), `chunk ${chunk}, byte ${end}: event ${i}`);
        }
        // The whole-file read may add end-of-file issues; the snapshot's come first and equal.
        assert.deepEqual(snap.issues, prefix.issues.slice(0, snap.issues.length), `chunk ${chunk}, byte ${end}: issues`);
        assert.deepEqual([snap.lost, snap.bufferStarts], [prefix.lost, prefix.bufferStarts], `chunk ${chunk}, byte ${end}: gaps`);
        seen.push({ trace: snap, length: snap.length, issues: JSON.stringify(snap.issues), settled: settledEvents });
        if (service) service.replace(snap);
        else service = new TraceService(snap);
        assert.deepEqual(counts(service.summary('f')), naiveCounts(snap), `chunk ${chunk}, byte ${end}: summary counted on from the last snapshot`);
      }
      const whole = reader.finish(source);
      service?.replace(whole);
      assert.deepEqual(counts((service as TraceService).summary('f')), naiveCounts(whole), `chunk ${chunk}: whole trace's summary counted on from the snapshots`);
      // Snapshots are views over the builder: reading on did not change what each one holds.
      for (const s of seen) {
        assert.equal(s.trace.length, s.length);
        assert.equal(JSON.stringify(s.trace.issues), s.issues);
      }
      assert.equal(whole.partial, null);
      assert.deepEqual(canonicalDump(whole), canonicalDump(readFormat(format, bytes)), `chunk ${chunk}: snapshots changed the finished trace`);
      // Settled means final: what each snapshot showed of its settled events is the finished trace's.
      for (const s of seen) s.settled.forEach((e, i) => assert.deepEqual(e, eventDump(whole, i), `settled event ${i} changed after its snapshot`));
    }
  });
}

for (const { format, file } of [
  { format: 'pcap' as const, file: 'test/fixtures/pcap/host-a.pcap' },
  { format: 'pcapng' as const, file: 'test/fixtures/pcap/bridge-multi.pcapng' },
]) {
  test(`snapshot ${format} ${file}: the packets read so far are the whole read's first packets`, () => {
    const bytes = new Uint8Array(readFileSync(file));
    const source = new MemoryByteSource(bytes);
    const whole = readFormat(format, bytes);
    const reader = createReader(format);
    let grew = 0;
    let before = 0;
    for (let pos = 0; pos < bytes.length; pos += 1500) {
      reader.push(bytes.slice(pos, pos + 1500));
      const snap = (reader.snapshot as NonNullable<typeof reader.snapshot>).call(reader, source);
      assert.equal(snap.partial?.settled, snap.length, 'a packet is whole once read');
      assert.ok(snap.length >= before);
      if (snap.length > before) grew++;
      before = snap.length;
      for (let i = 0; i < snap.length; i++) assert.deepEqual(eventDump(snap, i), eventDump(whole, i), `byte ${pos}: packet ${i}`);
    }
    assert.ok(grew > 1, 'the snapshots filled in packet by packet');
  });
}

test('trace.dat has no partial view: its events are built from the per-CPU buffers at the end', () => {
  assert.equal(createReader('trace-cmd-dat').snapshot, undefined);
});

test('snapshot ftrace: the last event is not settled until the next line shows its stack trace has ended', () => {
  const text = [
    '# tracer: nop',
    '          <idle>-0       [001] ..s1.   100.000001: kfree_skb: skbaddr=0x1 location=0x2',
    '          <idle>-0       [001] ..s1.   100.000002: <stack trace>',
    ' => kfree_skb_reason',
    ' => ip_rcv_core',
    '            ping-7       [000] .....   100.000003: sys_enter: NR 44',
    '',
  ].join('\n');
  const bytes = new TextEncoder().encode(text);
  const reader = createReader('ftrace');
  const settledTexts: string[][] = [];
  let pos = 0;
  for (const line of text.split('\n').slice(0, -1)) {
    const n = new TextEncoder().encode(`${line}\n`).length;
    reader.push(bytes.slice(pos, pos + n));
    pos += n;
    const snap = (reader.snapshot as NonNullable<typeof reader.snapshot>).call(reader, new MemoryByteSource(bytes));
    const texts: string[] = [];
    for (let i = 0; i < (snap.partial?.settled ?? 0); i++) texts.push(snap.recordText(i));
    settledTexts.push(texts);
  }
  const whole = reader.finish(new MemoryByteSource(bytes));
  for (const texts of settledTexts) texts.forEach((t, i) => assert.equal(t, whole.recordText(i)));
  assert.equal(whole.recordText(1).split('\n').length, 3, 'the stack trace event holds its two frames');
  assert.deepEqual(
    settledTexts.map((t) => t.length),
    [0, 0, 1, 1, 1, 2],
  );
});

test('worker services over snapshots: the filter, sort and timeline caches are of the latest snapshot, never an earlier one', async () => {
  const bytes = new Uint8Array(readFileSync('test/fixtures/ftrace/veth-ping.trace'));
  const source = new MemoryByteSource(bytes);
  const reader = createReader('ftrace');
  const take = (reader.snapshot as NonNullable<typeof reader.snapshot>).bind(reader);
  reader.push(bytes.slice(0, 40_000));
  const first = take(source);
  const session = new Session(new TraceService(first), first, 'veth-ping.trace');
  const filter = { text: 'ping' };
  const sort = { column: 'ts', descending: true } as const;
  const stats = async (): Promise<number> => {
    const r = await answerWebview({ type: 'rangeStats', requestId: 1, startNs: relNs(0), endNs: relNs(1e15), filter }, session, {});
    return r.type === 'rangeStats' ? r.stats.total : -1;
  };
  const counts = (t: Trace): number => {
    const m = eventMatcher(t, filter);
    let n = 0;
    for (let i = 0; i < t.length; i++) if (m?.test(i)) n++;
    return n;
  };
  const before = { rows: session.service.rows(0, 10, filter).total, sorted: session.service.rows(0, 10, filter, sort).total, range: await stats() };
  assert.deepEqual(before, { rows: counts(first), sorted: counts(first), range: counts(first) });
  reader.push(bytes.slice(40_000, 120_000));
  const second = take(source);
  session.update(second);
  const after = { rows: session.service.rows(0, 10, filter).total, sorted: session.service.rows(0, 10, filter, sort).total, range: await stats() };
  assert.ok(counts(second) > counts(first), 'the second snapshot has more matching events');
  assert.deepEqual(after, { rows: counts(second), sorted: counts(second), range: counts(second) });
  // Sorted by time, descending: the first row is the latest matching event read so far.
  const top = session.service.rows(0, 1, filter, sort).rows[0];
  assert.equal(top?.tsNs, Math.max(...Array.from({ length: second.length }, (_, i) => i).filter((i) => eventMatcher(second, filter)?.test(i)).map((i) => second.tsNs(i))));
  const whole = reader.finish(source);
  session.update(whole);
  assert.equal(session.service.rows(0, 10, filter).total, counts(whole));
  assert.equal(session.service.summary('veth-ping.trace').reading, undefined, 'the whole trace has no reading note');
});

test('snapshots while reading: after the interval, after ten times the showing, and after as long as the read had taken', () => {
  // The interval (1 s by default), whatever the showing took; 0: at once.
  assert.equal(snapshotDue(999, 1000, 0, 0), false);
  assert.equal(snapshotDue(1000, 1000, 0, 0), true);
  assert.equal(snapshotDue(0, 0, 500, 5000), true);
  // Showing took 150 ms: the next after 1.5 s.
  assert.equal(snapshotDue(1499, 1000, 150, 0), false);
  assert.equal(snapshotDue(1500, 1000, 150, 0), true);
  // The last came 4 s into the read: the next not before 4 s after it (the gaps double).
  assert.equal(snapshotDue(3999, 1000, 10, 4000), false);
  assert.equal(snapshotDue(4000, 1000, 10, 4000), true);
});
