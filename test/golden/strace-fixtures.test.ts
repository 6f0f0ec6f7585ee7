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
import { eventJson } from '../../src/core/formats/decode';

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

// The program's own output mixed in: checked below against strace's own -C table instead.
const MIXED = 'test/fixtures/strace/python-threads-mixed-output.strace';
statsCountSuite(
  'strace',
  FILES.filter((f) => f !== MIXED),
  EXPECTED,
  grepCount,
);

test('strace and the program on one file: every call counted as strace -C counted it, split calls joined, output left out', () => {
  const text = readFileSync(MIXED, 'utf8');
  const table = new Map<string, number>();
  for (const l of text.split('\n')) {
    const m = /^\s*\d+\.\d+\s+\d+\.\d+\s+\d+\s+(\d+)(?:\s+\d+)?\s+(\S+)\s*$/.exec(l);
    if (m && m[2] !== 'total') table.set(m[2] as string, Number(m[1]));
  }
  assert.ok(table.size > 20);
  const t = readFormat('strace', new Uint8Array(readFileSync(MIXED)), 7);
  const counts = new Map<string, number>();
  for (let i = 0; i < t.length; i++) counts.set(t.event(i), (counts.get(t.event(i)) ?? 0) + 1);
  for (const [name, calls] of table) assert.equal(counts.get(name), calls, name);
  // Every write of the program's 10 lines, with its own string as its argument and its result.
  const writes = [...Array(t.length).keys()].filter((i) => t.event(i) === 'write' && eventJson(t, i).fields.fd === '1');
  assert.equal(writes.length, 10);
  for (const i of writes) {
    const f = eventJson(t, i).fields;
    const m = /^1, "(.*)\\n", (\d+)$/.exec(f.args ?? '');
    assert.ok(m, `write args whole: ${f.args}`);
    assert.equal(f.ret, String((m[1] as string).length + 1));
  }
  // The only problem reported is the count of the program's own lines that stood alone.
  assert.equal(t.issueCount, 1);
  assert.match(t.issues[0]?.message ?? '', /^\d+ lines? of the traced program's own output/);
});

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
