// Legacy systrace / Catapult HTML pages written by other people's tools (TRAPpy's test pages,
// ../shared/corpus/systrace, read in place and skipped where the corpus is absent): the ftrace
// text inside the page is read whole, and the counts are those TRAPpy's own tests assert
// (tests/test_systrace.py: trace_systrace.html has 4 sched_switch and 4 sched_wakeup;
// trace_legacy_systrace.html 3 sched_switch, 2 sched_wakeup, 2 sched_contrib_scale_f), the rest
// `grep -cE '\[[0-9]{3}\] +\S+ +[0-9]+\.[0-9]+: '` on each file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFtrace } from '../helpers/read';
import { detectBytes } from '../helpers/text-formats';
import { corpusPath, corpusSkip } from '../helpers/third-party';

const CASES: readonly { name: string; events: number; counts: Readonly<Record<string, number>> }[] = [
  { name: 'trappy-trace_systrace.html', events: 10, counts: { sched_switch: 4, sched_wakeup: 4 } },
  { name: 'trappy-trace_legacy_systrace.html', events: 15, counts: { sched_switch: 3, sched_wakeup: 2, sched_contrib_scale_f: 2 } },
  { name: 'trappy-trace_surfaceflinger.html', events: 2506, counts: { sched_switch: 715 } },
];

for (const c of CASES) {
  const path = corpusPath(`systrace/${c.name}`);
  test(`systrace HTML: ${c.name} is read as its ftrace text`, { skip: corpusSkip(`systrace/${c.name}`) }, () => {
    const bytes = new Uint8Array(readFileSync(path));
    assert.equal(detectBytes(bytes), 'ftrace');
    for (const chunk of [7, 1 << 20]) {
      const t = readFtrace(bytes, chunk);
      assert.equal(t.issueCount, 0);
      assert.equal(t.length, c.events);
      const counts: Record<string, number> = {};
      for (let i = 0; i < t.length; i++) counts[t.event(i)] = (counts[t.event(i)] ?? 0) + 1;
      for (const [event, n] of Object.entries(c.counts)) assert.equal(counts[event], n, event);
    }
  });
}
