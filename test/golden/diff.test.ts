// `ktl diff` on before/after recordings of this machine (issue 16):
//  - test/fixtures/diff/drop-{none,half}.trace: the same 40 pings over a veth pair, the second
//    time with every second echo request dropped by netfilter in the sender's namespace
//    (capture/capture-drop-diff.sh). Expected: NETFILTER_DROP frees appear in B only, and every
//    device event of the dropped requests (and of their replies) is gone from B. The counts
//    asserted here come from the trace text itself, counted with a regular expression, not from
//    our reader.
//  - test/fixtures/pcap/host-a.pcap vs host-b-egress-only.pcap: seed 000's "capture on the slave
//    sees no ingress": every flow B has comes from B; A's echo requests to B are only in A, with
//    the packet count tshark gives.
// Snapshot: test/golden/snapshots/diff-drop.json (the whole --json report).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkSnapshot, runKtl } from '../helpers/lifecycle-golden';
import { diffTraces, type TraceDiff } from '../../src/core/analysis/diff/trace-diff';
import { hitsDiffByLine } from '../../src/core/analysis/diff/hits-diff';
import { computeHits } from '../../src/core/analysis/hits';
import { loadTraceFile } from '../../src/core/io/file-source';
import { DiskSourceTree, findRipgrep } from '../../src/core/io/source-files';
import { FunctionIndex } from '../../src/core/source/function-index';
import { corpusPath, corpusSkip } from '../helpers/third-party';
import { cParser } from '../helpers/source';

const NONE = 'test/fixtures/diff/drop-none.trace';
const HALF = 'test/fixtures/diff/drop-half.trace';

/** Event name -> count, straight from the ftrace text lines (`TIMESTAMP: name: ...`). */
function countByText(file: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const e = /^\s*\S.*?\[\d+\]\s+\S+\s+[\d.]+: ([\w]+):/.exec(line);
    if (e) m.set(e[1] as string, (m.get(e[1] as string) ?? 0) + 1);
  }
  return m;
}

function count(file: string, re: RegExp): number {
  return readFileSync(file, 'utf8').split('\n').filter((l) => re.test(l)).length;
}

test('ktl diff: dropping every second echo request shows as NETFILTER_DROP frees and halved device events', () => {
  const d = JSON.parse(runKtl(['diff', NONE, HALF, '--json'])) as TraceDiff;
  const a = countByText(NONE);
  const b = countByText(HALF);
  // Every event name of both files, with the text's counts.
  assert.equal(d.events.length, new Set([...a.keys(), ...b.keys()]).size);
  for (const r of d.events) {
    assert.equal(r.a, a.get(r.key) ?? 0, `${r.key} in A`);
    assert.equal(r.b, b.get(r.key) ?? 0, `${r.key} in B`);
    assert.equal(r.diff, r.b - r.a);
  }
  // Biggest change first.
  for (let i = 1; i < d.events.length; i++) assert.ok(Math.abs(d.events[i - 1]?.diff ?? 0) >= Math.abs(d.events[i]?.diff ?? 0));
  // The change itself: the drop reason exists only after, once per dropped request.
  const dropped = count(HALF, /reason: NETFILTER_DROP$/);
  assert.ok(dropped >= 15, `the recording dropped ${dropped} requests`);
  assert.equal(count(NONE, /NETFILTER_DROP/), 0);
  const skb = d.lifecycle.find((l) => l.model === 'skb');
  assert.ok(skb);
  const nf = skb.outcomes.find((r) => r.key === 'DROPPED reason=NETFILTER_DROP');
  assert.deepEqual(nf && { a: nf.a, b: nf.b, ratio: nf.ratio }, { a: 0, b: dropped, ratio: null });
  // Each dropped request never reached the wire, and its reply never came: the veth's
  // transmits fall by two per drop (only the pings differ: kworker traffic aside).
  const xmit = (f: string): number => count(f, /net_dev_xmit: dev=ktldf-[ab] /);
  assert.ok(xmit(NONE) - xmit(HALF) >= 2 * dropped - 10, `net_dev_xmit ${xmit(NONE)} -> ${xmit(HALF)}`);
  // The spans differ by more than 1%: rates are given.
  assert.equal(d.rates, Math.abs(d.a.durationNs - d.b.durationNs) > 0.01 * Math.max(d.a.durationNs, d.b.durationNs));
  checkSnapshot('diff-drop.json', d);
});

test('ktl diff: the egress-only capture lacks every flow towards B (seed 000), counted as tshark counts', () => {
  const d = JSON.parse(runKtl(['diff', 'test/fixtures/pcap/host-a.pcap', 'test/fixtures/pcap/host-b-egress-only.pcap', '--json'])) as TraceDiff;
  assert.ok(d.flows);
  // tshark's view of A: echo requests 10.78.0.1 -> 10.78.0.2.
  const tsv = readFileSync('test/fixtures/pcap/expected/host-a.pcap.tshark.tsv', 'utf8').split('\n');
  const head = (tsv[0] as string).split('\t');
  const col = (row: string[], name: string): string => row[head.indexOf(name)] ?? '';
  const requests = tsv.slice(1).map((l) => l.split('\t')).filter((r) => col(r, 'ip.src') === '10.78.0.1' && col(r, 'ip.dst') === '10.78.0.2' && col(r, 'icmp.type') === '8').length;
  const onlyA = d.flows.onlyA.find((r) => r.key === 'ICMP echo request 10.78.0.1 > 10.78.0.2');
  assert.equal(onlyA?.a, requests);
  // Nothing B captured was sent by A (egress only), so B has no flow from A's addresses.
  for (const r of d.flows.rows) if (r.b > 0) assert.ok(!/ (10\.78\.0\.1|fd78::1) > /.test(r.key), r.key);
  // B's replies to A's requests are there, and B's own flows are never "only in A" with B as source.
  assert.ok(d.flows.rows.some((r) => r.key === 'ICMP echo reply 10.78.0.2 > 10.78.0.1' && r.b > 0));
  // The replies without requests are a finding only B has.
  assert.ok(d.findings.onlyB.some((f) => f.kind === 'echo-reply-no-request'));
  assert.equal(d.flows.onlyA.length + d.flows.onlyB.length, d.flows.rows.filter((r) => r.a === 0 || r.b === 0).length);
});

// Source lines: the corpus's Linux 6.1 files (net/core/dev.c and skbuff.c are enough here; the
// tracepoints' call sites are found there). Every call site of a tracepoint carries the event's
// whole count on each side, so each row's A and B are the text's counts of that event.
const DEV_C = 'net/core/dev.c';
const SOURCE_SKIP = corpusSkip(`linux-6.1/${DEV_C}`);

test('diff with hits: each call site of a device tracepoint goes from its count before to its count after', { skip: SOURCE_SKIP }, async () => {
  const tree = new DiskSourceTree(corpusPath('linux-6.1'), findRipgrep());
  const index = new FunctionIndex(tree, await cParser());
  const a = await loadTraceFile(NONE);
  const b = await loadTraceFile(HALF);
  try {
    const d = diffTraces({ name: 'a', trace: a, hits: (await computeHits(a, index, tree)).hits }, { name: 'b', trace: b, hits: (await computeHits(b, index, tree)).hits });
    const ca = countByText(NONE);
    const cb = countByText(HALF);
    const xmit = d.lines?.filter((r) => r.event === 'net_dev_xmit') ?? [];
    assert.ok(xmit.length > 0 && xmit.every((r) => r.file === DEV_C));
    for (const r of d.lines ?? []) assert.deepEqual([r.a, r.b], [ca.get(r.event) ?? 0, cb.get(r.event) ?? 0], `${r.file}:${r.line} ${r.event}`);
    // The gutter's per-line view of dev.c sums the events on each line.
    const gutter = hitsDiffByLine(d.lines ?? [], DEV_C);
    const line = xmit[0]?.line as number;
    assert.deepEqual(gutter.get(line), { a: ca.get('net_dev_xmit'), b: cb.get('net_dev_xmit') });
  } finally {
    a.close();
    b.close();
  }
});
