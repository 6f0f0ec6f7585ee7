/** Where our actions open things: one side group beside the trace editor, reused. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inSideGroupOf, sideColumn } from '../../src/extension/side-column';

test('no trace editor known: null (the caller falls back to Beside)', () => {
  assert.equal(sideColumn(undefined, undefined, [1]), null);
});

test('first time: the column right of the trace editor', () => {
  assert.equal(sideColumn(1, undefined, [1]), 2);
  assert.equal(sideColumn(2, undefined, [1, 2]), 3);
});

test('a remembered side group that still exists is reused, whichever group is active', () => {
  // The user put the trace editor in column 2 and our side group came to be column 1 after a move.
  assert.equal(sideColumn(2, 1, [1, 2]), 1);
  // A click sequence: every call asks again with what it got; the answer never grows.
  let remembered: number | undefined;
  for (let i = 0; i < 5; i++) {
    remembered = sideColumn(1, remembered, remembered === undefined ? [1] : [1, remembered]) ?? undefined;
  }
  assert.equal(remembered, 2);
});

test('a remembered column that closed, or that now holds the trace editor itself, is chosen again', () => {
  assert.equal(sideColumn(1, 3, [1, 2]), 2);
  assert.equal(sideColumn(2, 2, [1, 2]), 3);
});

test('a capture opened in the side group is not a base of its own (no third group)', () => {
  // Base trace editor in column 1, its side group column 2; the capture's editor opened there.
  assert.equal(inSideGroupOf(2, 1, 2), true);
  // The base itself, an editor in a column of the user's, or no side group yet: a base.
  assert.equal(inSideGroupOf(1, 1, 2), false);
  assert.equal(inSideGroupOf(3, 1, 2), false);
  assert.equal(inSideGroupOf(2, 1, undefined), false);
});
