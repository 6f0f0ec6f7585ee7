// Unit tests of typed time (src/core/trace/time.ts): absolute <-> relative <-> wire text stay
// exact where a float64 of absolute ns would not, and untrusted wire text is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absAt, absFromSecNs, absNs, absNsText, parseAbsNsText, relNs, relTo, ticks, ticksOnNsAxis } from '../../src/core/trace/time';

test('a wall-clock origin and a relative time give the exact absolute ns, and back', () => {
  // 2026-11-22 03:32:00.123456789 UTC: 19 digits, past float64's 2^53.
  const origin = absFromSecNs(1795318320, 123456789);
  assert.equal(origin, 1795318320123456789n);
  const at = absAt(origin, relNs(1_000_000_001));
  assert.equal(at, 1795318321123456790n);
  assert.equal(relTo(origin, at), 1_000_000_001);
  assert.notEqual(BigInt(Number(origin)), origin, 'a float64 cannot hold it: the reason for bigint');
});

test('wire form: decimal text, read back exactly; anything else is refused', () => {
  const t = absNsText(absNs(-1795318320123456789n));
  assert.equal(t, '-1795318320123456789');
  assert.equal(parseAbsNsText(t), -1795318320123456789n);
  for (const bad of ['', '1.5', '1e9', ' 12', '0x10', '12n', '9'.repeat(31)]) assert.equal(parseAbsNsText(bad), null, bad);
});

test('counter ticks go on the ns axis one for one', () => {
  assert.equal(ticksOnNsAxis(ticks(78512)), 78512);
});
