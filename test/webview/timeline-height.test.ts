/**
 * The timeline's height without a browser (webview/timeline-height.ts): few tracks grow into a
 * quarter of the editor up to 80 px each; many get what they need at 38 px, up to 40 % of the
 * editor, and scroll beyond; a dragged height stays within the editor.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clampAreaPx, defaultAreaPx, MAX_TRACK_PX, MIN_TRACK_PX, trackPxFor } from '../../webview/timeline-height';
import { parseLayoutState } from '../../webview/state';

describe('timeline height', () => {
  it('few tracks fill a quarter of the editor, up to the most a track takes', () => {
    assert.equal(defaultAreaPx(800, 2), 200);
    assert.equal(trackPxFor(200, 2), MAX_TRACK_PX);
    assert.equal(trackPxFor(200, 4), 50);
    assert.equal(trackPxFor(defaultAreaPx(800, 1), 1), MAX_TRACK_PX);
  });

  it('more tracks: room for each at its least up to 40 % of the editor, then they scroll at 38 px', () => {
    assert.equal(MIN_TRACK_PX, 38);
    assert.equal(defaultAreaPx(800, 6), 228, 'six tracks at 38 px fit in 40 % of 800 px');
    assert.equal(trackPxFor(228, 6), 38);
    assert.equal(defaultAreaPx(800, 64), 320, 'sixty-four do not: 40 %');
    assert.equal(trackPxFor(320, 64), MIN_TRACK_PX);
    assert.equal(defaultAreaPx(100, 1), 2 * MIN_TRACK_PX, 'a tiny editor still has two tracks of room');
  });

  it('a dragged height stays between one track and 80 % of the editor', () => {
    assert.equal(clampAreaPx(5, 800), MIN_TRACK_PX);
    assert.equal(clampAreaPx(700, 800), 640);
    assert.equal(clampAreaPx(333.4, 800), 333);
    assert.equal(clampAreaPx(5000, 0), 5000, 'not laid out yet: no upper bound');
  });

  it('the dragged height is kept in the editor\'s layout state, and only a sane one comes back', () => {
    assert.deepEqual(parseLayoutState({ timelinePx: 130.4, sidebarPx: 200 }), { sidebarPx: 200, timelinePx: 130 });
    assert.equal(parseLayoutState({ timelinePx: -1 }), undefined);
    assert.equal(parseLayoutState({ timelinePx: 'tall' }), undefined);
    assert.equal(parseLayoutState({ timelinePx: 1e9 }), undefined);
  });
});
