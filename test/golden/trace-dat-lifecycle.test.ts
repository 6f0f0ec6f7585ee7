// Lifecycles do not depend on the tool that recorded the trace: the skb model over a trace.dat
// (binary, fields decoded from its embedded event formats) finds the same objects, in the same
// states, through the same steps on the same CPUs and tasks, as over the kernel's own text of
// the same buffer (`*.kernel.txt.gz`, read just before `trace-cmd extract`; see
// test/fixtures/README.md). Only times and line numbers may differ (the text has µs times;
// a trace.dat has no lines), and two things the tools print differently: the kernel's text
// hashes pointers (`%p`: skbaddr=00000000570ae880) where trace.dat holds the address, so keys are
// compared as the same partition of events (numbered in order of first appearance), and its
// `%pS` adds the function size (`netlink_dump+0x347/0x460`) where trace-cmd prints `+0x347`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readWith } from '../helpers/text-formats';
import { FtraceTextReader } from '../../src/core/formats/ftrace/reader';
import { loadTraceFile } from '../../src/core/io/file-source';
import { analyzeLifecycles } from '../../src/core/analysis/lifecycle/analyze';
import { lifecycleJson, type LifecycleJson } from '../../src/core/analysis/lifecycle/json';
import { builtinModel } from '../../src/core/analysis/lifecycle/models/index';
import type { Trace } from '../../src/core/trace/trace';

const DIR = 'test/fixtures/trace-dat';
const skb = builtinModel('skb');
assert.ok(skb);

function analyze(t: Trace): LifecycleJson {
  return lifecycleJson(t, analyzeLifecycles(t, skb as NonNullable<typeof skb>));
}

/** Everything but times, lines, pointer spellings and %pS sizes. */
function shape(j: LifecycleJson): unknown {
  const keys = new Map<string, number>();
  const key = (k: string): number => {
    if (!keys.has(k)) keys.set(k, keys.size);
    return keys.get(k) as number;
  };
  const attrs = (a: Record<string, string> | undefined): Record<string, string> | undefined =>
    a && Object.fromEntries(Object.entries(a).map(([k, v]) => [k, k === 'location' ? v.replace(/\/0x[0-9a-f]+$/, '') : v]));
  return {
    objectCount: j.objectCount,
    stepCount: j.stepCount,
    transitions: j.transitions,
    objects: j.objects.map((o) => ({
      key: key(o.key),
      state: o.state,
      origin: o.origin,
      cpus: o.cpus,
      attrs: attrs(o.attrs),
      history: o.history?.map((s) => ({ cpu: s.cpu, pid: s.pid, comm: s.comm, event: s.event, state: s.state, kind: s.kind, from: s.from })),
    })),
  };
}

for (const dat of ['veth-ping.v6.dat', 'veth-ping.v7-zstd.dat']) {
  test(`skb lifecycles of ${dat} equal those of the kernel's text of the same buffer`, async () => {
    const text = readWith(() => new FtraceTextReader(), new Uint8Array(gunzipSync(readFileSync(`${DIR}/veth-ping.kernel.txt.gz`))));
    const binary = await loadTraceFile(`${DIR}/${dat}`);
    try {
      assert.equal(binary.meta.format, 'trace-cmd-dat');
      assert.equal(binary.length, text.length);
      const a = analyze(binary);
      const b = analyze(text);
      assert.ok(a.objectCount > 100, `only ${a.objectCount} skbs`);
      assert.ok(a.transitions.some((t) => t.from === 'RECEIVED' && t.to === 'DROPPED'));
      assert.deepEqual(a.findings, []);
      assert.deepEqual(b.findings, []);
      assert.deepEqual(shape(a), shape(b));
    } finally {
      binary.close();
    }
  });
}
