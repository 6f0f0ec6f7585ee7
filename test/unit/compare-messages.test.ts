import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCompareFromWebview } from '../../src/protocol/compare-messages';

test('compare page messages: only ready and a well-formed openLine pass', () => {
  assert.ok(isCompareFromWebview({ type: 'ready' }));
  assert.ok(isCompareFromWebview({ type: 'openLine', file: 'net/core/dev.c', line: 3 }));
  for (const bad of [null, 'ready', { type: 'openLine', file: 'a.c', line: 0 }, { type: 'openLine', file: 'a.c', line: 1.5 }, { type: 'openLine', file: 7, line: 1 }, { type: 'openLine', file: 'x'.repeat(5000), line: 1 }, { type: 'run' }]) {
    assert.equal(isCompareFromWebview(bad), false, JSON.stringify(bad)?.slice(0, 40));
  }
});
