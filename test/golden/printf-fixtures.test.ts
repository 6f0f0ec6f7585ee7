// Golden tests for printf-style probe output: bpftrace key=value lines (detected by content)
// and column layouts read with a user pattern (as `.vscode/kernel-trace.json` will give it).
// Regenerate: UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { goldenSuite, readWith } from '../helpers/text-formats';
import { PrintfReader } from '../../src/core/formats/printf';
import { loadTraceFile } from '../../src/core/io/file-source';
import { computeStats } from '../../src/core/analysis/stats';

const DIR = 'test/fixtures/printf';
const COLUMNS = {
  pattern: '^(?<ts>\\d+)\\s+(?<cpu>\\d+)\\s+(?<pid>\\d+)\\s+(?<comm>\\S+)\\s+(?<event>\\S+)\\s+(?<dev>\\S+)\\s+(?<len>\\d+)$',
  tsUnit: 'us' as const,
};
const OPENSNOOP = { pattern: '^(?<pid>\\d+)\\s+(?<comm>\\S+)\\s+(?<fd>-?\\d+)\\s+(?<err>\\d+)\\s+(?<path>\\S.*)$' };

goldenSuite('printf', [
  { file: `${DIR}/bpftrace-net-kv.txt`, detect: 'printf' },
  { file: `${DIR}/bpftrace-net-columns.txt`, detect: null, makeReader: () => new PrintfReader(COLUMNS) },
  { file: `${DIR}/bpftrace-opensnoop_example.txt`, detect: null, makeReader: () => new PrintfReader(OPENSNOOP) },
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
