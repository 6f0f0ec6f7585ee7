// `ktl export --to jsonl` writes exactly what `ktl events --json` prints (a trace and a capture),
// and a failed export leaves no file behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKtl, runKtlFailing } from '../helpers/lifecycle-golden';

for (const file of ['test/fixtures/ftrace/lifecycle-veth-rps.trace', 'test/fixtures/pcap/bridge-multi.pcapng']) {
  test(`ktl export --to jsonl ${file} = ktl events --json`, () => {
    const out = mkdtempSync(join(tmpdir(), 'ktl-jsonl-'));
    try {
      const path = join(out, 'x.jsonl');
      const said = JSON.parse(runKtl(['export', file, '--to', 'jsonl', '--out', path])) as { events: number };
      const text = readFileSync(path, 'utf8');
      assert.equal(text, runKtl(['events', file, '--json']));
      assert.equal(text.split('\n').length - 1, said.events);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

test('ktl export: usage errors and an unwritable PATH leave nothing behind', () => {
  const out = mkdtempSync(join(tmpdir(), 'ktl-jsonl-'));
  try {
    const file = 'test/fixtures/ftrace/veth-ping.trace';
    assert.equal(runKtlFailing(['export', file, '--to', 'csv', '--out', join(out, 'x')]).status, 1);
    assert.equal(runKtlFailing(['export', file, '--to', 'jsonl']).status, 1);
    assert.equal(runKtlFailing(['export', file, '--to', 'parquet', '--out', join(out, 'missing-dir', 'x.parquet')]).status, 2);
    assert.deepEqual(readdirSync(out), []);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
