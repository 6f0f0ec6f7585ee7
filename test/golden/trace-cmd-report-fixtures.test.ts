// Golden tests for `trace-cmd report` text: every fixture -> canonical dump -> committed
// snapshot (test/golden/snapshots/trace-cmd-report/), the same bytes in 1-, 7- and 4096-byte
// chunks, detection by content, and the event count `ktl stats` reports checked against an
// independent count of event lines. Regenerate: UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { absentCorpusFile } from '../helpers/third-party';
import { corpusPath, detectBytes, fixtureFiles, goldenSuite, readFormat, statsCountSuite } from '../helpers/text-formats';

// Own captures, and third-party files read in place from the shared corpus.
const FILES = [
  ...fixtureFiles('test/fixtures/trace-cmd-report'),
  ...[
    'lisa-trace.txt',
    'trappy-raw_trace.txt',
    'trappy-trace_common_clk.txt',
    'trappy-trace_empty.txt',
    'trappy-trace_equals.txt',
    'trappy-trace_failed_to_parse.txt',
    'trappy-trace_filesystem.txt',
    'trappy-trace_idle_unsorted.txt',
    'trappy-trace_sched.txt',
  ].map((f) => corpusPath(`trace-cmd/${f}`)),
];

goldenSuite(
  'trace-cmd-report',
  FILES.map((file) => ({ file, detect: 'trace-cmd-report' as const })),
);

/** Event lines counted the grep way: `-PID [CPU] SEC.FRAC:` or the `-l` columns `-PID  1d..2. SEC.FRAC:`. */
function grepCount(text: string): number {
  return text.split('\n').filter((l) => /-\d+\s+\[\d+\]\s+\d+\.\d+:/.test(l) || /-\d+\s+\d+[^\s\d[]\S*\s+\d+\.\d+:/.test(l)).length;
}

const EXPECTED: Record<string, number> = {
  'lisa-trace.txt': 2941,
  'trappy-raw_trace.txt': 3,
  'trappy-trace_common_clk.txt': 8,
  'trappy-trace_empty.txt': 51,
  'trappy-trace_equals.txt': 7,
  'trappy-trace_failed_to_parse.txt': 11,
  'trappy-trace_filesystem.txt': 69,
  'trappy-trace_idle_unsorted.txt': 15,
  'trappy-trace_sched.txt': 11,
  'veth-ping-cpu0-fullts.report': 530,
  'veth-ping-latency.report': 1058,
  'veth-ping-raw.report': 1058,
  'veth-ping.report': 1058,
};

statsCountSuite('trace-cmd-report', FILES, EXPECTED, grepCount);

// GPL-2.0 / EPL-2.0 files stay out of the repository; read them from ../shared/corpus when it
// is there (event counts checked by hand against the files: `[...]` elisions of the man page
// and the `-w` summary lines are the issues).
for (const [name, events, issues] of [
  ['tcdoc-report-function-5char-flags.txt', 12, 1],
  ['tcdoc-report-kmalloc-filter.txt', 9, 1],
  ['tcdoc-report-wakeup-latency.txt', 19, 8],
  ['tracecompass-trace-func-graph.txt', 199, 0],
] as const) {
  const path = corpusPath(`trace-cmd/${name}`);
  test(`corpus (extra check): ${name}`, { skip: absentCorpusFile(path) }, () => {
    const bytes = new Uint8Array(readFileSync(path));
    assert.equal(detectBytes(bytes), 'trace-cmd-report');
    const t = readFormat('trace-cmd-report', bytes, 7);
    assert.equal(t.length, events);
    assert.equal(t.issueCount, issues);
  });
}
