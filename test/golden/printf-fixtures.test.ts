// Golden tests for printf-style probe output: bpftrace key=value lines (detected by content)
// and column layouts read with a user pattern (as `.vscode/kernel-trace.json` will give it).
// Regenerate: UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusPath, goldenSuite, readWith } from '../helpers/text-formats';
import { PrintfReader } from '../../src/core/formats/printf/reader';
import { loadTraceFile } from '../../src/core/io/file-source';
import { computeStats } from '../../src/core/analysis/stats';
import { eventJson } from '../../src/core/formats/decode';
import { runKtlFailing, runKtlStatus } from '../helpers/lifecycle-golden';

const DIR = 'test/fixtures/printf';
const COLUMNS = {
  pattern: '^(?<ts>\\d+)\\s+(?<cpu>\\d+)\\s+(?<pid>\\d+)\\s+(?<comm>\\S+)\\s+(?<event>\\S+)\\s+(?<dev>\\S+)\\s+(?<len>\\d+)$',
  tsUnit: 'us' as const,
};
const OPENSNOOP = { pattern: '^(?<pid>\\d+)\\s+(?<comm>\\S+)\\s+(?<fd>-?\\d+)\\s+(?<err>\\d+)\\s+(?<path>\\S.*)$' };

goldenSuite('printf', [
  { file: `${DIR}/bpftrace-net-kv.txt`, detect: 'printf' },
  { file: `${DIR}/bpftrace-net-columns.txt`, detect: null, makeReader: () => new PrintfReader(COLUMNS) },
  { file: corpusPath('bpf/bpftrace-opensnoop_example.txt'), detect: null, makeReader: () => new PrintfReader(OPENSNOOP) },
]);

test('ktl stats path (loadTraceFile): bpftrace-net-kv.txt is printf with one event per key=value line', async () => {
  const file = `${DIR}/bpftrace-net-kv.txt`;
  const t = await loadTraceFile(file);
  try {
    assert.equal(t.meta.format, 'printf');
    const grep = readFileSync(file, 'utf8').split('\n').filter((l) => /(?:^|\s)[A-Za-z_]\w*=/.test(l)).length;
    assert.equal(computeStats(t).events, 20);
    assert.equal(grep, 20);
    assert.deepEqual(
      t.issues.map((i) => i.line),
      [1],
    );
  } finally {
    t.close();
  }
});

test('the column layout needs its pattern: 16 events, header and banner lines reported', () => {
  const t = readWith(() => new PrintfReader(COLUMNS), new Uint8Array(readFileSync(`${DIR}/bpftrace-net-columns.txt`)));
  assert.equal(t.length, 16);
  assert.deepEqual(
    t.issues.map((i) => i.line),
    [1, 2],
  );
  assert.equal(t.event(0), 'tracepoint:net:net_dev_queue');
  assert.equal(t.comm(0), 'ping');
  assert.equal(t.tsNs(1), 35_000);
});

test('ktl --config: the kernel-trace.json printf pattern makes column output readable; without it, exit 2', () => {
  const file = `${DIR}/bpftrace-net-columns.txt`;
  const config = 'test/fixtures/models/printf-columns.json';
  // The file's header and banner lines are not events: reported on stderr, exit status 4.
  const run = (args: string[]): string => {
    const r = runKtlStatus(args);
    assert.equal(r.status, 4, r.stderr);
    assert.match(r.stderr, /: 2 problems while reading it;/);
    return r.stdout;
  };
  const viaCli = JSON.parse(run(['stats', file, '--json', '--config', config])) as { format: string; events: number; eventCounts: Record<string, number>; errorCount: number };
  // The same numbers as reading with the pattern directly (the golden snapshot's reader).
  const direct = readWith(() => new PrintfReader(COLUMNS), new Uint8Array(readFileSync(file)));
  const stats = computeStats(direct);
  assert.equal(viaCli.format, 'printf');
  assert.equal(viaCli.events, stats.events);
  assert.deepEqual(viaCli.eventCounts, Object.fromEntries(stats.eventCounts));
  assert.equal(viaCli.errorCount, direct.issueCount);
  const events = run(['events', file, '--json', '--config', config]).trim().split('\n').map((l) => JSON.parse(l) as { fields: Record<string, string> });
  assert.equal(events.length, stats.events);
  assert.deepEqual(events[0]?.fields, eventJson(direct, 0).fields);
  const without = runKtlFailing(['stats', file, '--json']);
  assert.equal(without.status, 2);
  assert.match(without.stderr, /printf: no key=value lines/);
  const bad = runKtlFailing(['stats', file, '--config', 'test/fixtures/models/invalid.json']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^ktl: test\/fixtures\/models\/invalid\.json: \d+ problems?:/);
});
