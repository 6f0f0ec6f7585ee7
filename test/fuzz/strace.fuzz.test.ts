// Mutation fuzzing of the strace reader (and the per-fd view over what it read) over real fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { StraceReader } from '../../src/core/formats/strace/reader';
import { straceFdViews } from '../../src/core/analysis/strace-fds';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import { corpusPath, fuzzSuite, mutate } from '../helpers/text-formats';
import { rng } from '../helpers/rng';

const FILES = ['test/fixtures/strace/ospf-hello-pid-prefix.strace', 'test/fixtures/strace/python-threads-mixed-output.strace', 'test/fixtures/strace/ping-ttt-T-yy.strace', corpusPath('strace/strace-tui-test_trace-k-stack.txt')];

fuzzSuite('strace', FILES, () => new StraceReader({ maxLineBytes: 4096 }), [0x00, 0xff, 0x0a, 0x20, 0x3c, 0x3e, 0x28, 0x29, 0x22]);

test('fuzz strace fd views: never throw on mutated traces', { timeout: 120_000 }, () => {
  const original = new Uint8Array(readFileSync('test/fixtures/strace/ospf-hello-raw.strace'));
  for (let it = 0; it < 20; it++) {
    const seed = (it + 7) * 2246822519;
    const bytes = mutate(original, rng(seed), [0x00, 0x0a, 0x5b, 0x5d, 0x3c, 0x3e, 0x2c]);
    const r = new StraceReader();
    r.push(bytes);
    const t = r.finish(new MemoryByteSource(bytes));
    try {
      straceFdViews(t);
    } catch (err) {
      assert.fail(`seed ${seed}: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }
});
