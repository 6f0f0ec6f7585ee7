// The capture table's time formats as pure functions (no browser): exact bigint arithmetic,
// the interface's precision, UTC, and the saved choice parsed back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packetTimeText, secondsText, utcText } from '../../webview/packet-time';
import { parseLayoutState } from '../../webview/state';
import type { PacketRowView } from '../../src/protocol/messages';

function row(timeNs: string, prevTimeNs: string | null, digits: number): PacketRowView {
  // Wire text as the worker sends it (AbsNsText is a branded decimal string).
  return { timeNs: timeNs as PacketRowView['timeNs'], prevTimeNs: prevTimeNs as PacketRowView['prevTimeNs'], digits, source: '', destination: '', protocol: '', length: 0, caplen: 0, info: '' };
}

test('seconds are exact from bigint ns, truncated to the capture precision', () => {
  assert.equal(secondsText(6_105_748_000n, 6), '6.105748');
  assert.equal(secondsText(1n, 9), '0.000000001');
  assert.equal(secondsText(-1_500n, 6), '-0.000001');
  assert.equal(secondsText(0n, 6), '0.000000');
  assert.equal(secondsText(5_000_000_000n, 0), '5');
  // Far beyond 2^53 ns (104 days): a float64 would lose the last digits.
  assert.equal(secondsText(1_795_318_320_630_900_123n - 1_000_000_000_000_000_000n, 9), '795318320.630900123');
});

test('date and time of day in UTC with the fraction of the capture precision', () => {
  assert.equal(utcText(1_795_318_320_630_900_000n, 6), '2026-11-22 03:32:00.630900');
  assert.equal(utcText(1_795_318_320_630_900_123n, 9), '2026-11-22 03:32:00.630900123');
  assert.equal(utcText(0n, 3), '1970-01-01 00:00:00.000');
  // Before 1970 the fraction stays positive: -0.25 s is 23:59:59.75 of the day before.
  assert.equal(utcText(-250_000_000n, 2), '1969-12-31 23:59:59.75');
});

test('the three modes of a row: since the first packet, delta displayed, UTC', () => {
  const r = row('1795318326736648000', '1795318326736583000', 6);
  const origin = '1795318320630900000';
  assert.equal(packetTimeText('relative', r, origin), '6.105748');
  assert.equal(packetTimeText('delta', r, origin), '0.000065');
  assert.equal(packetTimeText('absolute', r, origin), '2026-11-22 03:32:06.736648');
  // The first displayed packet has no previous one: delta 0.
  assert.equal(packetTimeText('delta', row('1795318326736648000', null, 6), origin), '0.000000');
  // Garbage from the host is shown as unknown, not computed with.
  assert.equal(packetTimeText('relative', row('12e4', null, 6), origin), '?');
  assert.equal(packetTimeText('relative', r, 'x'), '?');
});

test('the time format is kept in the layout state and only a known one is restored', () => {
  assert.deepEqual(parseLayoutState({ timeMode: 'delta' }), { timeMode: 'delta' });
  assert.equal(parseLayoutState({ timeMode: 'local' }), undefined);
  assert.deepEqual(parseLayoutState({ timeMode: 'absolute', detailsPx: 80 }), { timeMode: 'absolute', detailsPx: 80 });
});
