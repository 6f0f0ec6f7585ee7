// Golden test of `ktl events` filtering: --event/--cpu/--task/--text keep exactly the events the
// editor's table keeps for the same EventFilter (TraceService.rows, the webview's path; one
// matcher in core/analysis/event-filter.ts), and the kept lines match the committed snapshot.
// Regenerate: UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventFilter } from '../../src/core/analysis/event-filter';
import { TraceService } from '../../src/worker/trace-service';
import { runKtl } from '../helpers/lifecycle-golden';

const SNAPSHOT = 'test/golden/snapshots/ktl-events/filters.json';
const update = process.env.UPDATE_GOLDEN === '1';

interface Case {
  readonly name: string;
  readonly file: string;
  readonly filter: EventFilter;
}

const VETH = 'test/fixtures/ftrace/veth-ping.trace';
const CASES: readonly Case[] = [
  { name: 'task by comm, any case', file: VETH, filter: { task: 'PING' } },
  { name: 'task by pid (the shell that wrote the markers)', file: VETH, filter: { task: '23100' } },
  { name: 'text, any case', file: VETH, filter: { text: 'KTLFT-B' } },
  { name: 'all four', file: VETH, filter: { events: ['net_dev_xmit', 'netif_receive_skb'], cpus: [0, 1], task: 'ping', text: 'len=98' } },
  { name: 'marker text with HTML', file: VETH, filter: { events: ['tracing_mark_write'], text: '<script>' } },
  { name: 'strace task and text', file: 'test/fixtures/strace/ping-f-tt-T-y.strace', filter: { task: 'ping', text: 'socket:[' } },
];

/** `ktl events` arguments for a filter, as a user would write them. */
function args(c: Case): string[] {
  const out = ['events', c.file, '--json'];
  for (const e of c.filter.events ?? []) out.push('--event', e);
  for (const cpu of c.filter.cpus ?? []) out.push('--cpu', String(cpu));
  if (c.filter.task) out.push('--task', c.filter.task);
  if (c.filter.text) out.push('--text', c.filter.text);
  return out;
}

const results: Record<string, number[]> = {};

for (const c of CASES) {
  test(`ktl events keeps what the table keeps: ${c.name}`, async () => {
    const lines = runKtl(args(c))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => (JSON.parse(l) as { line: number }).line);
    const service = await TraceService.open(c.file);
    try {
      const table = service.rows(0, Number.MAX_SAFE_INTEGER, c.filter);
      assert.equal(lines.length, table.total);
      assert.deepEqual(
        lines,
        table.rows.map((r) => r.line),
      );
    } finally {
      service.dispose();
    }
    assert.ok(lines.length > 0, 'a filter that keeps nothing checks nothing');
    results[c.name] = lines;
  });
}

test('ktl events filters: the kept lines are the snapshot', () => {
  const text = `${JSON.stringify(results, null, 1)}\n`;
  if (update) {
    mkdirSync(join(SNAPSHOT, '..'), { recursive: true });
    writeFileSync(SNAPSHOT, text);
    return;
  }
  assert.ok(existsSync(SNAPSHOT), `no snapshot ${SNAPSHOT}; run with UPDATE_GOLDEN=1 and review it`);
  assert.deepEqual(results, JSON.parse(readFileSync(SNAPSHOT, 'utf8')));
});
