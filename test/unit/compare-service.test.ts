// The worker's Compare with… and Export… (src/worker/compare-service.ts), run in-process on
// the before/after recordings: the other file is read, compared and closed; the export writes
// the format asked for, with as many events as the trace has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTraceFile } from '../../src/core/io/file-source';
import { compareWith, exportTrace } from '../../src/worker/compare-service';

test('compareWith: A is the loaded trace, B the other file; no source tree, no source lines', async () => {
  const a = await loadTraceFile('test/fixtures/diff/drop-none.trace');
  try {
    const d = await compareWith(a, 'drop-none.trace', { path: 'test/fixtures/diff/drop-half.trace', name: 'drop-half.trace', readerOptions: {} }, null);
    assert.equal(d.a.name, 'drop-none.trace');
    assert.equal(d.b.name, 'drop-half.trace');
    assert.equal(d.a.events, a.length);
    assert.equal(d.lines, null);
    assert.ok(d.lifecycle.some((l) => l.outcomes.some((r) => r.key === 'DROPPED reason=NETFILTER_DROP' && r.a === 0 && r.b > 0)));
  } finally {
    a.close();
  }
});

test('compareWith: a file that is not a trace is an error, and the loaded trace is untouched', async () => {
  const a = await loadTraceFile('test/fixtures/diff/drop-none.trace');
  try {
    const first = `${a.event(0)} ${a.payloadText(0)}`;
    await assert.rejects(compareWith(a, 'a', { path: 'package.json', name: 'package.json', readerOptions: {} }, null));
    assert.equal(`${a.event(0)} ${a.payloadText(0)}`, first);
  } finally {
    a.close();
  }
});

test('exportTrace: jsonl of the loaded trace, one line per event', async () => {
  const a = await loadTraceFile('test/fixtures/diff/drop-half.trace');
  const out = mkdtempSync(join(tmpdir(), 'ktl-worker-export-'));
  try {
    const r = await exportTrace(a, 'drop-half.trace', 'jsonl', join(out, 'x.jsonl'), null);
    assert.equal(r.events, a.length);
    assert.deepEqual(readdirSync(out), ['x.jsonl']);
    assert.equal(readFileSync(join(out, 'x.jsonl'), 'utf8').split('\n').length - 1, a.length);
  } finally {
    a.close();
    rmSync(out, { recursive: true, force: true });
  }
});
