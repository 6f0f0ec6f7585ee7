/**
 * The webview's pure parts, without a browser: number/time formatting, the scroll mapping
 * for lists taller than a browser allows, the page cache's stale-reply rule, and parsing of
 * restored state.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventRow } from '../../src/protocol/messages';
import { formatAbsoluteCount, formatAbsoluteSeconds, formatTimeOfDay, formatBytes, formatCount, formatDelta, formatDuration, formatSeconds } from '../../webview/format';
import { PAGE_ROWS, RowCache, type RowsRequest } from '../../webview/row-cache';
import { Rpc } from '../../webview/rpc';
import { INITIAL_STATE, parseViewState } from '../../webview/state';
import { listboxStep } from '../../webview/list-keys';
import { fieldsOf } from '../../webview/event-fields';
import { MAX_SCROLL_PX, contentPx, firstRowFromScrollTop, isScaled, maxFirstRow, scrollTopFromFirstRow, type Geometry } from '../../webview/virtual-scroll';

describe('format', () => {
  it('writes seconds like ftrace (truncated, fixed decimals)', () => {
    assert.equal(formatSeconds(459_384_791_000, 6), '459.384791');
    assert.equal(formatSeconds(459_384_791_999, 6), '459.384791');
    assert.equal(formatSeconds(459_384_791_123, 9), '459.384791123');
    assert.equal(formatSeconds(0, 6), '0.000000');
    assert.equal(formatSeconds(-1_500_000, 6), '-0.001500');
  });

  it('adds the bigint origin exactly', () => {
    assert.equal(formatAbsoluteSeconds('750228449000', 8_996_000, 9), '750.237445000');
    assert.equal(formatAbsoluteSeconds('18446744073709551615', 1, 9), '18446744073.709551616');
    assert.equal(formatAbsoluteSeconds('not a number', 1, 9), '?');
    assert.equal(formatAbsoluteCount('9007199254740993', 7), '9007199254741000');
  });

  it('writes a time-of-day clock (strace -tt) as the wall clock strace printed', () => {
    // 03:15:35.054754 plus 1.5 ms.
    assert.equal(formatTimeOfDay('11735054754000', 1_500_000), '03:15:35.056254');
    // Midnight passed: the reader added a day.
    assert.equal(formatTimeOfDay(String(86_400_000_000_000n + 5_000_000n), 0), '+1d 00:00:00.005000');
    assert.equal(formatTimeOfDay('x', 0), '?');
  });

  it('writes durations and sizes with units', () => {
    assert.equal(formatDuration(850), '850 ns');
    assert.equal(formatDuration(12_345), '12.3 µs');
    assert.equal(formatDuration(4_560_000), '4.56 ms');
    assert.equal(formatDuration(848_000_000), '848 ms');
    assert.equal(formatDuration(1_234_000_000), '1.23 s');
    assert.equal(formatDelta(2_000), '+2.00µs');
    assert.equal(formatCount(10_000_000), '10,000,000');
    assert.equal(formatBytes(812), '812 B');
    assert.equal(formatBytes(1024 * 1024), '1.00 MiB');
  });
});

describe('virtual scroll', () => {
  const g = (total: number): Geometry => ({ total, rowPx: 20, viewportPx: 700 });

  it('is one row per 20 px below the cap', () => {
    const small = g(1_498);
    assert.equal(isScaled(small), false);
    assert.equal(contentPx(small), 29_960);
    assert.equal(firstRowFromScrollTop(2_000, small), 100);
    assert.equal(scrollTopFromFirstRow(100, small), 2_000);
    assert.equal(firstRowFromScrollTop(1e9, small), maxFirstRow(small));
  });

  it('compresses 10 M rows into the cap and still reaches both ends exactly', () => {
    const big = g(10_000_000);
    assert.equal(isScaled(big), true);
    assert.equal(contentPx(big), MAX_SCROLL_PX);
    const maxTop = MAX_SCROLL_PX - 700;
    assert.equal(firstRowFromScrollTop(0, big), 0);
    assert.equal(firstRowFromScrollTop(maxTop, big), 10_000_000 - 35);
    // Round trip from a row position is exact (the table keeps the row, not the pixel).
    for (const row of [0, 1, 4_999_999.5, 9_999_965]) assert.ok(Math.abs(firstRowFromScrollTop(scrollTopFromFirstRow(row, big), big) - row) < 1e-6);
  });

  it('does not scroll a list shorter than the viewport', () => {
    assert.equal(firstRowFromScrollTop(100, g(10)), 0);
    assert.equal(scrollTopFromFirstRow(5, g(10)), 0);
  });
});

describe('row cache', () => {
  const row = (i: number): EventRow => ({ index: i, line: i + 1, tsNs: i, cpu: 0, pid: 1, tgid: null, comm: 'c', flags: '', event: 'e', text: '' });
  const page = (start: number, n: number): EventRow[] => Array.from({ length: n }, (_, k) => row(start + k));

  it('asks for aligned pages around the focus and caches them', () => {
    const sent: RowsRequest[] = [];
    const c = new RowCache((r) => sent.push(r), new Rpc(() => undefined).nextId);
    c.reset({}, 1_000);
    c.ensure(150, 260, 150);
    assert.deepEqual(
      sent.map((r) => [r.start, r.count]),
      [
        [0, PAGE_ROWS],
        [200, PAGE_ROWS],
      ],
    );
    assert.equal(c.accept({ requestId: sent[0]!.requestId, total: 1_000, start: 0, rows: page(0, PAGE_ROWS) }), true);
    assert.equal(c.get(150)?.index, 150);
    c.ensure(150, 260, 150);
    assert.equal(sent.length, 2, 'no second request for cached or pending pages');
  });

  it('drops replies for an old filter, unknown ids and malformed rows', () => {
    const sent: RowsRequest[] = [];
    const c = new RowCache((r) => sent.push(r), new Rpc(() => undefined).nextId);
    c.reset({ events: ['a'] }, null);
    c.ensure(0, 10, 0);
    const old = sent[0]!;
    c.reset({ events: ['b'] }, null);
    c.ensure(0, 10, 0);
    const cur = sent[1]!;
    assert.equal(c.accept({ requestId: old.requestId, total: 99, start: 0, rows: page(0, 5) }), false);
    assert.equal(c.total, null);
    assert.equal(c.accept({ requestId: 12345, total: 99, start: 0, rows: page(0, 5) }), false);
    assert.equal(c.accept({ requestId: cur.requestId, total: 3, start: 0, rows: [{ index: 'x' }] }), true);
    assert.equal(c.get(0), undefined);
    assert.match(c.lastError ?? '', /malformed/);
  });

  it('refresh (the trace grew while read) keeps showing cached rows, asks for them again and takes the new ones', () => {
    const sent: RowsRequest[] = [];
    const c = new RowCache((r) => sent.push(r), new Rpc(() => undefined).nextId);
    c.reset({}, 300);
    c.ensure(0, 10, 0);
    assert.equal(c.accept({ requestId: sent[0]!.requestId, total: 300, start: 0, rows: page(0, PAGE_ROWS) }), true);
    const inFlight = sent.length;
    c.ensure(PAGE_ROWS, PAGE_ROWS + 10, PAGE_ROWS);
    const stale = sent[inFlight]!;
    c.refresh(5_000);
    assert.equal(c.total, 5_000);
    assert.equal(c.get(3)?.index, 3, 'the rows on screen stay until their new page comes');
    const version = c.version;
    c.ensure(0, 10, 0);
    const again = sent.at(-1)!;
    assert.equal(again.start, 0, 'the cached page is asked for again');
    // A reply asked before the refresh is shown (the first screen must not wait for the next),
    // without its shorter total, and asked for again.
    assert.equal(c.accept({ requestId: stale.requestId, total: 300, start: PAGE_ROWS, rows: page(PAGE_ROWS, 100) }), true);
    assert.equal(c.get(PAGE_ROWS + 1)?.index, PAGE_ROWS + 1);
    assert.equal(c.total, 5_000);
    const n = sent.length;
    c.ensure(PAGE_ROWS, PAGE_ROWS + 10, PAGE_ROWS);
    assert.equal(sent.length, n + 1);
    assert.equal(sent.at(-1)?.start, PAGE_ROWS);
    const completed = page(0, PAGE_ROWS).map((r) => (r.index === 3 ? { ...r, text: 'completed' } : r));
    assert.equal(c.accept({ requestId: again.requestId, total: 5_000, start: 0, rows: completed }), true);
    assert.equal(c.get(3)?.text, 'completed');
    assert.ok(c.version > version, 'rows drawn from the old page are drawn again');
    const m = sent.length;
    c.ensure(0, 10, 0);
    assert.equal(sent.length, m, 'a fresh page is not asked for again');
  });

  it('keeps at most four requests in flight', () => {
    const sent: RowsRequest[] = [];
    const c = new RowCache((r) => sent.push(r), new Rpc(() => undefined).nextId);
    c.reset({}, 10_000_000);
    c.ensure(0, 100 * PAGE_ROWS, 0);
    assert.equal(sent.length, 4);
  });
});

describe('restored state', () => {
  it('accepts what it saved and rejects anything else', () => {
    const good = { version: 1, filter: { events: ['sched_switch'], cpus: [1], task: 'ping', text: '', expr: 'len > 64 && comm ~ "ping*"' }, firstRow: 12.5, selected: 3 };
    assert.deepEqual(parseViewState(good), good);
    // An expression longer than the wire allows is dropped, not cut (a cut one means something else).
    assert.equal(parseViewState({ ...good, filter: { ...good.filter, expr: `len > 1 || ${'a'.repeat(5000)}` } }).filter.expr, '');
    assert.deepEqual(parseViewState(null), INITIAL_STATE);
    assert.deepEqual(parseViewState({ version: 2 }), INITIAL_STATE);
    assert.deepEqual(parseViewState({ version: 1, filter: { events: [1, 'x'], cpus: [-1, 2.5, 3] }, firstRow: -4, selected: 'y' }), {
      version: 1,
      filter: { events: ['x'], cpus: [3], task: '', text: '', expr: '' },
      firstRow: 0,
      selected: null,
    });
  });
});

describe('restored state of the timeline and the lifecycle/interleave views', () => {
  it('keeps a valid range, selection, tab, model and query; drops malformed ones', () => {
    const good = {
      version: 1,
      filter: { events: [], cpus: [], task: '', text: '', expr: '' },
      firstRow: 0,
      selected: null,
      timeline: { range: [10, 2000], selection: [100, 200] },
      tab: 'lifecycles',
      lifecycleModel: 'workspace:skb-tx',
      interleave: { key: 'xs=0xffff90fd32693c00', pair: '__xsk_rcv_zc_L7,xsk_flush' },
    };
    assert.deepEqual(parseViewState(good), good);
    const bad = parseViewState({ ...good, timeline: { range: [5, 5], selection: [1, 2] }, tab: 'other', lifecycleModel: 7, interleave: 'x' });
    assert.equal(bad.timeline, undefined);
    assert.equal(bad.tab, undefined);
    assert.equal(bad.lifecycleModel, undefined);
    assert.equal(bad.interleave, undefined);
    assert.deepEqual(parseViewState({ ...good, timeline: { range: [0, 1], selection: [Infinity, 2] } }).timeline, { range: [0, 1], selection: null });
  });

  it('listbox keys and the FIELD=VALUE fields offered from an event', () => {
    assert.equal(listboxStep('ArrowDown', null, 3), 0);
    assert.equal(listboxStep('ArrowDown', 2, 3), 2);
    assert.equal(listboxStep('ArrowUp', 1, 3), 0);
    assert.equal(listboxStep('End', 0, 3), 2);
    assert.equal(listboxStep('Enter', 0, 3), null);
    assert.equal(listboxStep('ArrowDown', null, 0), null);
    // A seed-004 kprobe payload, as the table's row text has it.
    assert.deepEqual(fieldsOf('(__xsk_rcv_zc+0x9b/0x250) addr=0x16ce900 len=0x4e xs=0xffffa0c6e26ab400 fq=0xffffa0c72db94c40'), [
      'addr=0x16ce900',
      'len=0x4e',
      'xs=0xffffa0c6e26ab400',
      'fq=0xffffa0c72db94c40',
    ]);
    assert.deepEqual(fieldsOf('ingress q:1 0x16ce900 FILL -> RX'), []);
  });
});
