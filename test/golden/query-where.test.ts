// Golden: `--where` counts against independent counts of the same question, written once by
// test/fixtures/query/make-expected.sh into where-counts.tsv — tshark -Y with the same display
// filter on our captures, an awk program per expression on traces. Also runs `ktl --where` itself
// for a few rows, and checks that the event table's filter (EventFilter.expr) agrees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileQuery } from '../../src/core/query/compile';
import { eventMatcher } from '../../src/core/analysis/event-filter';
import type { Trace } from '../../src/core/trace/trace';
import { readCaptureFile } from '../helpers/capture';
import { readFtraceFile } from '../helpers/read';
import { runKtl, runKtlFailing } from '../helpers/lifecycle-golden';

const ROWS = readFileSync('test/fixtures/query/where-counts.tsv', 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => {
    const [file, expr, count, by] = l.split('\t');
    return { file: `test/fixtures/${file}`, expr: expr as string, count: Number(count), by: by as string };
  });

const traces = new Map<string, Trace>();
function load(file: string): Trace {
  let t = traces.get(file);
  if (!t) {
    t = file.includes('/pcap/') ? readCaptureFile(file) : readFtraceFile(file);
    traces.set(file, t);
  }
  return t;
}

function count(t: Trace, expr: string): number {
  const p = compileQuery(t, expr);
  assert.ok(p, expr);
  let n = 0;
  for (let i = 0; i < t.length; i++) if (p(i)) n++;
  return n;
}

test('where-counts.tsv has captures and traces, and some counts are neither zero nor everything', () => {
  assert.ok(ROWS.filter((r) => r.by === 'tshark -Y').length >= 30);
  assert.ok(ROWS.filter((r) => r.by === 'awk').length >= 10);
  assert.ok(ROWS.filter((r) => r.count > 0 && r.count < load(r.file).length).length >= 30);
});

for (const r of ROWS) {
  test(`${r.file}: ${r.expr} keeps what ${r.by} keeps (${r.count})`, () => {
    assert.equal(count(load(r.file), r.expr), r.count);
  });
}

test('the table filter (EventFilter.expr) keeps the same events as the expression', () => {
  for (const r of ROWS.slice(0, 8).concat(ROWS.filter((x) => x.by === 'awk'))) {
    const t = load(r.file);
    const m = eventMatcher(t, { expr: r.expr });
    assert.ok(m);
    let n = 0;
    for (let i = 0; i < t.length; i++) if (m.test(i)) n++;
    assert.equal(n, r.count, r.expr);
  }
});

test('ktl events/packets --where --count print the same counts', () => {
  const ev = ROWS.find((r) => r.by === 'awk' && r.expr.includes('&&'));
  const pk = ROWS.find((r) => r.by === 'tshark -Y' && r.expr.includes('/16'));
  assert.ok(ev && pk);
  assert.equal(runKtl(['events', ev.file, '--where', ev.expr, '--count']).trim(), String(ev.count));
  assert.equal(runKtl(['packets', pk.file, '--where', pk.expr, '--count']).trim(), String(pk.count));
  // Text output has one line per kept event.
  assert.equal(runKtl(['events', ev.file, '--where', ev.expr]).trim().split('\n').length, ev.count);
});

test('ktl --where with a syntax error: exit 1 and the column, before reading the file', () => {
  const r = runKtlFailing(['events', '/nonexistent/file.trace', '--where', 'len > ']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim(), 'ktl: --where: expected a value at column 7');
});
