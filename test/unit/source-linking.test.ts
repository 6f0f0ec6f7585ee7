// Source linking over the unmodified Linux 6.1 excerpts: the function index, perf probe
// naming round trips, hits of real traces, and the probe script generator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cParser, LINUX, LINUX_SKIP, linuxIndex } from '../helpers/source';
import { functionDefinitions } from '../../src/core/source/c-functions';
import { predictedEventName, probeTargets } from '../../src/core/source/probe-names';
import { computeHits } from '../../src/core/analysis/hits';
import { lineVariables } from '../../src/core/source/line-vars';
import { lineProbeScript } from '../../src/core/probes/line-probe';
import { sq } from '../../src/core/probes/shell';
import { readFtrace, readFtraceFile } from '../helpers/read';

test('the index finds definitions with ripgrep and without it, the same ones', { skip: LINUX_SKIP }, async () => {
  for (const rg of [true, false]) {
    const { index } = await linuxIndex(rg);
    const defs = await index.definitions(['__xsk_rcv_zc', 'xsk_flush', 'xp_raw_get_data', 'veth_xmit', 'no_such_function_xyz']);
    const where = (n: string) => (defs.get(n) ?? []).map((d) => `${d.file}:${d.declLine}`);
    assert.deepEqual(where('__xsk_rcv_zc'), ['net/xdp/xsk.c:137'], `rg=${rg}`);
    assert.deepEqual(where('xsk_flush'), ['net/xdp/xsk.c:229']);
    assert.deepEqual(where('xp_raw_get_data'), ['net/xdp/xsk_buff_pool.c:652']);
    assert.deepEqual(where('veth_xmit'), ['drivers/net/veth.c:316']);
    assert.deepEqual(where('no_such_function_xyz'), []);
  }
});

test('round trip over every line of xsk.c perf could probe: line -> event name -> line', { skip: LINUX_SKIP }, async () => {
  const parser = await cParser();
  const text = readFileSync(`${LINUX}/net/xdp/xsk.c`, 'utf8');
  const tree = parser.parse(text);
  const defs = functionDefinitions(tree.rootNode);
  tree.delete();
  const byName = new Map(defs.map((d) => [d.name, d]));
  let checked = 0;
  for (const d of defs) {
    for (let line = d.declLine; line <= d.endLine; line++) {
      const event = predictedEventName(d.name, line - d.declLine);
      const target = probeTargets(event).find((t) => byName.has(t.function));
      assert.ok(target, event);
      const def = byName.get(target.function);
      assert.ok(def);
      const back = target.kind === 'line' ? def.declLine + target.relLine : def.declLine;
      assert.equal(back, line, `${event} maps to ${back}, expected ${line}`);
      checked++;
    }
  }
  assert.ok(checked > 1000, `only ${checked} lines checked`);
});

test('perf uniqueness suffixes and return probes', () => {
  assert.deepEqual(probeTargets('xsk_flush_1'), [
    { kind: 'entry', function: 'xsk_flush_1' },
    { kind: 'entry', function: 'xsk_flush' },
  ]);
  assert.deepEqual(probeTargets('__xsk_rcv_zc_L7_2')[1], { kind: 'line', function: '__xsk_rcv_zc', relLine: 7 });
  assert.deepEqual(probeTargets('tcp_sendmsg__return')[0], { kind: 'return', function: 'tcp_sendmsg' });
  assert.equal(predictedEventName('__xsk_rcv_zc', 7), '__xsk_rcv_zc_L7');
  assert.equal(predictedEventName('xsk_flush', 0), 'xsk_flush');
});

test('seed 004 hits: __xsk_rcv_zc_L7 lands on xsk.c:144 with its per-CPU counts and address values', { skip: LINUX_SKIP }, async () => {
  const { index, tree } = await linuxIndex();
  const trace = readFtraceFile('test/fixtures/ftrace/seed004-fifo-break.trace');
  const { hits, unmapped } = await computeHits(trace, index, tree);
  const rcv = hits.find((h) => h.event === '__xsk_rcv_zc_L7');
  assert.ok(rcv);
  assert.deepEqual([rcv.file, rcv.line, rcv.function, rcv.count, rcv.cpus, rcv.mapping], ['net/xdp/xsk.c', 144, '__xsk_rcv_zc', 5, { '1': 1, '2': 4 }, 'probe-line']);
  assert.equal(rcv.vars.addr?.distinct, 5);
  assert.equal(rcv.vars.xs?.distinct, 1);
  assert.equal(rcv.vars.addr?.min, '0x13d3900');
  assert.equal(rcv.vars.addr?.max, '0x1dba100');
  const raw = hits.find((h) => h.event === 'xp_raw_get_data');
  assert.deepEqual([raw?.file, raw?.line, raw?.mapping], ['net/xdp/xsk_buff_pool.c', 652, 'probe-entry']);
  // Markers are user space text, not source lines: neither hits nor unmapped.
  assert.equal(hits.length, 2);
  assert.deepEqual(unmapped, []);
});

test('tracepoints of a real veth trace land on their trace_*() call sites; several sites are marked', { skip: LINUX_SKIP }, async () => {
  const { index, tree } = await linuxIndex();
  const trace = readFtraceFile('test/fixtures/ftrace/veth-ping.trace');
  const { hits } = await computeHits(trace, index, tree);
  const xmit = hits.filter((h) => h.event === 'net_dev_xmit');
  assert.equal(xmit.length, 1);
  assert.equal(xmit[0]?.file, 'net/core/dev.c');
  assert.match(readFileSync(`${LINUX}/net/core/dev.c`, 'utf8').split('\n')[(xmit[0]?.line ?? 0) - 1] ?? '', /trace_net_dev_xmit\(/);
  const kfree = hits.filter((h) => h.event === 'kfree_skb');
  assert.ok(kfree.length >= 2 && kfree.every((h) => h.ambiguous && h.note !== null));
  for (const h of hits) {
    const src = readFileSync(`${LINUX}/${h.file}`, 'utf8').split('\n')[h.line - 1] ?? '';
    assert.match(src, new RegExp(`trace_${h.event}\\s*\\(`), `${h.event} at ${h.file}:${h.line}`);
  }
});

test('variables on a line: in scope, read on the line, assignment targets left out', { skip: LINUX_SKIP }, async () => {
  const parser = await cParser();
  const tree = parser.parse(readFileSync(`${LINUX}/net/xdp/xsk.c`, 'utf8'));
  const fn = functionDefinitions(tree.rootNode).find((d) => d.name === '__xsk_rcv_zc');
  assert.ok(fn);
  const v = lineVariables(tree, fn, 144); //	err = xskq_prod_reserve_desc(xs->rx, addr, len);
  tree.delete();
  assert.deepEqual(v.used, ['xs->rx', 'addr', 'len']);
  assert.deepEqual([...v.inScope].sort(), ['addr', 'err', 'len', 'xdp', 'xs', 'xskb']);
});

test('probe script: predicted event, out-of-scope and malformed variables flagged, everything shell-quoted', () => {
  const p = lineProbeScript({
    function: '__xsk_rcv_zc',
    relativeLine: 7,
    file: 'net/xdp/xsk.c',
    line: 144,
    variables: ['addr', 'xs->pool->fq', 'nope', "x'; rm -rf / #"],
    inScope: new Set(['xs', 'addr', 'len']),
  });
  assert.equal(p.event, '__xsk_rcv_zc_L7');
  assert.deepEqual(p.variables, ['addr', 'xs->pool->fq']);
  assert.equal(p.warnings.length, 2);
  assert.ok(p.commands.includes("perf probe -a '__xsk_rcv_zc:7 addr xs->pool->fq'"));
  assert.ok(p.commands.includes('perf probe -d probe:__xsk_rcv_zc_L7'));
  assert.ok(p.commands.includes('echo 1 > /sys/kernel/tracing/events/probe/__xsk_rcv_zc_L7/enable'));
  assert.ok(!p.script.includes('rm -rf / #\''), 'a hostile variable never reaches a command');
  // A line inside the function: bpftrace reaches it as kprobe:func+offset (what the trace gives), not "no line probes".
  assert.ok(!/no line probes/.test(p.script), p.script);
  assert.ok(p.script.includes("# bpftrace -e 'kprobe:__xsk_rcv_zc+OFFSET { @[cpu] = count(); }'"), p.script);
  assert.ok(p.script.includes("# grep -F 'probe/__xsk_rcv_zc_L7 ' /sys/kernel/tracing/kprobe_events"), p.script);
  assert.throws(() => lineProbeScript({ function: 'a;b', relativeLine: 1, file: 'f', line: 1, variables: [], inScope: new Set() }), /not a C function name/);
  assert.equal(sq("it's"), `'it'\\''s'`);
  assert.equal(sq('plain_word-1.0'), 'plain_word-1.0');
});

test('hits with pauses (the worker answers other requests meanwhile): the same result, a pause every 65,536 events', { skip: LINUX_SKIP }, async () => {
  const { index, tree } = await linuxIndex();
  // veth-ping.trace's 1498 events, 100 times over (149,800 events): two pauses.
  const one = readFileSync('test/fixtures/ftrace/veth-ping.trace', 'utf8');
  const body = one.split('\n').filter((l) => !l.startsWith('#')).join('\n');
  const trace = readFtrace(`${one}\n${Array.from({ length: 99 }, () => body).join('\n')}`);
  assert.equal(trace.length, 149_800);
  const plain = await computeHits(trace, index, tree);
  let pauses = 0;
  const paused = await computeHits(trace, index, tree, { pause: async () => void pauses++ });
  assert.equal(pauses, 2);
  assert.deepEqual(paused, plain);
  // Every event of the fixture is there 100 times: so is every count.
  assert.ok(plain.hits.length > 5 && plain.hits.every((h) => h.count > 0 && h.count % 100 === 0));
});
