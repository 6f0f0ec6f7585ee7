// Golden tests for `perf script` text: snapshot, chunking, detection, and the event count
// `ktl stats` reports checked against an independent count of sample lines.
// Regenerate: UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { absentCorpusFile } from '../helpers/third-party';
import { corpusPath, detectBytes, fixtureFiles, goldenSuite, readFormat, statsCountSuite } from '../helpers/text-formats';
import { eventJson } from '../../src/core/formats/decode';

// Own captures, and third-party files read in place from the shared corpus.
const FILES = [
  ...fixtureFiles('test/fixtures/perf'),
  ...[
    'speedscope-forks.linux-perf.txt',
    'speedscope-one-sample.linux-perf.txt',
    'speedscope-rust-mangled.linux-perf.txt',
    'speedscope-simple-with-header.linux-perf.txt',
    'speedscope-simple-with-pid.linux-perf.txt',
    'speedscope-system-wide.linux-perf.txt',
  ].map((f) => corpusPath(`perf/${f}`)),
];

goldenSuite(
  'perf-script',
  FILES.map((file) => ({ file, detect: 'perf-script' as const })),
);

/**
 * Sample lines counted the grep way: not `#`, not a TAB-indented frame, with a `SEC.FRAC:` column;
 * in a file without any time column (`perf script -F comm,pid,event,...`), every line that is not
 * `#`, blank or a frame.
 */
function grepCount(text: string): number {
  const lines = text.split('\n');
  const timed = lines.filter((l) => /^ *[^\s#]/.test(l) && /\s\d+\.\d+:\s/.test(`${l} `)).length;
  return timed > 0 ? timed : lines.filter((l) => /^ *[^\s#]/.test(l)).length;
}

const EXPECTED: Record<string, number> = {
  'cpu-clock-ping-raw-ip.perf': 476,
  'cpu-clock-ping-symoff.perf': 476,
  'cpu-clock-dd-untimed.perf': 40,
  'cpu-clock-dd-untimed-flat.perf': 40,
  'cpu-clock-python.perf': 66,
  'net-ping-callchain.perf': 16,
  'net-ping-header.perf': 56,
  'net-ping.perf': 56,
  'speedscope-forks.linux-perf.txt': 561,
  'speedscope-one-sample.linux-perf.txt': 1,
  'speedscope-rust-mangled.linux-perf.txt': 96,
  'speedscope-simple-with-header.linux-perf.txt': 136,
  'speedscope-simple-with-pid.linux-perf.txt': 137,
  'speedscope-system-wide.linux-perf.txt': 556,
};

statsCountSuite('perf-script', FILES, EXPECTED, grepCount, 'samples');

// CDDL-1.0 / GPL-2.0 files stay out of the repository; read them from ../shared/corpus when
// it is there. Counts: `grep -cE '^ *[^[:space:]#].* [0-9]+\.[0-9]+: '` on each file.
for (const [name, events] of [
  ['flamegraph-perf-cycles-instructions-01.txt', 444],
  ['flamegraph-perf-dd-stacks-01.txt', 11],
  ['flamegraph-perf-iperf-stacks-pidtid-01.txt', 201],
  ['flamegraph-perf-java-faults-01.txt', 23],
  ['flamegraph-perf-rust-Yamakaky-dcpu.txt', 58],
  ['kdoc-vpa-dtl-perf-script-tracepoints.txt', 8],
] as const) {
  const path = corpusPath(`perf/${name}`);
  test(`corpus (extra check): ${name}`, { skip: absentCorpusFile(path) }, () => {
    const bytes = new Uint8Array(readFileSync(path));
    assert.equal(detectBytes(bytes), 'perf-script');
    const t = readFormat('perf-script', bytes, 7);
    assert.equal(t.length, events);
    assert.equal(grepCount(new TextDecoder().decode(bytes)), events);
    assert.equal(t.issueCount, 0);
  });
}

// Untimed and with its frames' indentation stripped (FlameGraph's test input): `grep -c ' cycles:$'` = 2
// samples, every other non-blank line one of their 48 frames.
const JAVA_STACKS = corpusPath('perf/flamegraph-perf-java-stacks-02.txt');
test('corpus (extra check): flamegraph-perf-java-stacks-02.txt, no time column', { skip: absentCorpusFile(JAVA_STACKS) }, () => {
  const bytes = new Uint8Array(readFileSync(JAVA_STACKS));
  assert.equal(detectBytes(bytes), 'perf-script');
  const t = readFormat('perf-script', bytes, 7);
  assert.equal(t.length, 2);
  assert.equal(t.issueCount, 0);
  assert.equal(t.meta.timeSource, 'none');
  const frames = new TextDecoder().decode(bytes).split('\n').filter((l) => /^[0-9a-f]+ /.test(l)).length;
  assert.equal(frames, 48);
  assert.equal([0, 1].reduce((n, i) => n + (eventJson(t, i).stack?.length ?? 0), 0), frames);
});
