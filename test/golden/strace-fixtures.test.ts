// Golden tests for strace output: snapshot, chunking, detection, and the event count `ktl
// stats` reports checked against an independent count: one event per line, minus the
// resumed halves (joined to their start) and `=>` continuations, plus the "Process N
// attached" notes strace wrote into the middle of a line.
// Regenerate: UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { absentCorpusFile } from '../helpers/third-party';
import { corpusPath, fixtureFiles, goldenSuite, readFormat, statsCountSuite } from '../helpers/text-formats';

// Own captures, and third-party files read in place from the shared corpus.
const FILES = [...fixtureFiles('test/fixtures/strace'), ...['langraph-trace-cmd.strace.log', 'strace-tui-test_trace-k-stack.txt'].map((f) => corpusPath(`strace/${f}`))];

goldenSuite(
  'strace',
  FILES.map((file) => ({ file, detect: 'strace' as const })),
);

function grepCount(text: string): number {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const frames = lines.filter((l) => l.startsWith(' > ')).length;
  const resumed = lines.filter((l) => /<\.\.\. [\w?]+ resumed>/.test(l) || /^(?:\[pid\s+\d+\] )?(?:\d+ )?(?:[\d:.]+ )? => /.test(l)).length;
  const notes = lines.filter((l) => /^strace: /.test(l)).length;
  const embedded = lines.filter((l) => /\S+strace: Process \d+ attached$/.test(l)).length;
  return lines.length - frames - resumed - notes + embedded;
}

const EXPECTED: Record<string, number> = {
  'langraph-trace-cmd.strace.log': 10455,
  'ospf-hello-pid-prefix.strace': 503,
  'ospf-hello-raw.strace': 557,
  'ospf-hello-untimed.strace': 503,
  'ping-f-tt-T-y.strace': 196,
  'ping-ttt-T-yy.strace': 193,
  'strace-tui-test_trace-k-stack.txt': 11,
};

statsCountSuite('strace', FILES, EXPECTED, grepCount);

// The MIT strace-to-duckdb samples stay in ../shared/corpus (their license sits on another
// branch than the files): read them from there when present, as an extra check.
for (const [name, events] of [
  ['strace-to-duckdb-simple-tt-T.txt', 3],
  ['strace-to-duckdb-tiny-trace-tt-T.txt', 10],
] as const) {
  const path = corpusPath(`strace/${name}`);
  test(`corpus (extra check): ${name}`, { skip: absentCorpusFile(path) }, () => {
    const t = readFormat('strace', new Uint8Array(readFileSync(path)), 7);
    assert.equal(t.length, events);
    assert.equal(t.issueCount, 0);
    assert.ok(t.extra('durNs')?.get(0) !== undefined);
  });
}
