/**
 * The timeline's track renderers without a browser (webview/tracks/): a track draws itself from
 * what it is given (a recording stand-in for the canvas, the one TimeScale, colours, its box)
 * and finds what is under the pointer with the same scale; track ids are {kind, id}.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LifecycleLanes, LifecycleSummary, TimelineData } from '../../src/protocol/messages';
import { LANE_LOST_STATE, LANE_LOST_TEXT } from '../../src/protocol/messages';
import { TimeScale } from '../../webview/timeline-scale';
import { colourOf, EVENT_COLOURS, rankEventColours, type Colours } from '../../webview/tracks/colours';
import { EventTrack, GAP_LINE_PX, MARK_PX, SLICE_PX } from '../../webview/tracks/event-track';
import { LANE_PX, LifecycleLanesTrack } from '../../webview/tracks/lifecycle-lanes';
import { trackIdOf } from '../../webview/tracks/track-id';

const COLOURS: Colours = {
  events: ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'],
  fg: 'fg',
  muted: 'muted',
  border: 'border',
  bg: 'bg',
  focus: 'focus',
  error: 'error',
  warning: 'warning',
  selection: 'selection',
  link: 'link',
  font: '10px sans-serif',
};

/** A CanvasRenderingContext2D stand-in that records filled rectangles with their colour. */
function recorder(): { ctx: CanvasRenderingContext2D; rects: { x: number; y: number; w: number; h: number; fill: string }[] } {
  const rects: { x: number; y: number; w: number; h: number; fill: string }[] = [];
  const state = { fillStyle: '' };
  const noop = (): void => undefined;
  const ctx = new Proxy(state, {
    get: (t, k) => {
      if (k === 'fillRect') return (x: number, y: number, w: number, h: number) => rects.push({ x, y, w, h, fill: t.fillStyle });
      if (k in t) return t[k as keyof typeof t];
      return noop;
    },
    set: (t, k, v) => {
      (t as Record<string | symbol, unknown>)[k] = v;
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, rects };
}

function listed(ts: number[], names: string[]): TimelineData {
  const n = ts.length;
  return {
    startNs: 0,
    endNs: 1000,
    resolution: 4,
    names,
    tasks: [{ comm: 'ping', pid: 7 }],
    tracks: [
      {
        track: { kind: 'cpu', id: 1 },
        total: n,
        counts: new Uint32Array(4),
        dominant: new Int32Array(4).fill(-1),
        events: { tsNs: Float64Array.from(ts), name: Uint32Array.from(ts.map((_, k) => k % names.length)), index: Uint32Array.from(ts.map((_, k) => 100 + k)) },
        slices: { startNs: Float64Array.of(200), endNs: Float64Array.of(600), task: Uint32Array.of(0) },
        sliceBuckets: null,
      },
    ],
  };
}

describe('track ids', () => {
  it("are {kind, id}: a summary's number is a CPU, a task (strace) or an interface (captures)", () => {
    assert.deepEqual(trackIdOf({}, 3), { kind: 'cpu', id: 3 });
    assert.deepEqual(trackIdOf({ taskTracks: [{ id: 41, label: 'a' }] }, 41), { kind: 'task', id: 41 });
    assert.deepEqual(trackIdOf({ interfaces: [{ index: 1, name: 'veth-a', linkType: 'EN10MB' }] }, 1), { kind: 'interface', id: 1 });
  });
});

describe('event track', () => {
  const scale = TimeScale.across(0, 1000, 500);

  it('draws one mark per listed event where the scale puts it, in its event colour, in its box', () => {
    const data = listed([100, 500, 900], ['net_dev_xmit', 'napi_poll']);
    const track = new EventTrack({ kind: 'cpu', id: 1 });
    track.current = { data, track: data.tracks[0]! };
    const { ctx, rects } = recorder();
    track.render({ ctx, scale, colours: COLOURS, top: 40, size: { width: 500, height: SLICE_PX + MARK_PX } });
    const marks = rects.filter((r) => r.w === 2);
    assert.deepEqual(
      marks.map((r) => [r.x, r.y, r.fill]),
      [
        [49, 40 + SLICE_PX + 1 + 2, `c${colourOf('net_dev_xmit')}`],
        [249, 40 + SLICE_PX + 1 + 2, `c${colourOf('napi_poll')}`],
        [449, 40 + SLICE_PX + 1 + 2, `c${colourOf('net_dev_xmit')}`],
      ],
    );
    // The task slice [200, 600) on top: 100 px .. 300 px.
    const slice = rects.find((r) => r.y === 40 && r.h === SLICE_PX - 2);
    assert.ok(slice);
    assert.equal(slice.x, 100);
    assert.equal(slice.w, 199.5);
  });

  it('finds the nearest listed event within the hit distance, the slice and nothing without data', () => {
    const data = listed([100, 500, 900], ['a']);
    const track = new EventTrack({ kind: 'cpu', id: 1 });
    assert.equal(track.nearestEvent(scale, 250, 4), -1);
    track.current = { data, track: data.tracks[0]! };
    assert.equal(track.nearestEvent(scale, 252, 4), 1);
    assert.equal(track.nearestEvent(scale, 260, 4), -1);
    assert.deepEqual(track.sliceAt(300), { startNs: 200, endNs: 600, comm: 'ping', pid: 7 });
    assert.equal(track.sliceAt(600), null);
  });

  it('aggregated: a bar per non-empty bucket, and the bucket under the pointer', () => {
    const data: TimelineData = {
      ...listed([], ['a', 'b']),
      tracks: [{ track: { kind: 'cpu', id: 0 }, total: 9, counts: Uint32Array.of(0, 8, 0, 1), dominant: Int32Array.of(-1, 1, -1, 0), events: null, slices: null, sliceBuckets: null }],
    };
    const track = new EventTrack({ kind: 'cpu', id: 0 });
    track.current = { data, track: data.tracks[0]! };
    const { ctx, rects } = recorder();
    track.render({ ctx, scale, colours: COLOURS, top: 0, size: { width: 500, height: SLICE_PX + MARK_PX } });
    assert.deepEqual(
      rects.map((r) => [r.x, r.fill]),
      [
        [125, `c${colourOf('b')}`],
        [375, `c${colourOf('a')}`],
      ],
    );
    assert.ok((rects[0]?.h ?? 0) > (rects[1]?.h ?? 0), 'more events, a taller bar');
    assert.deepEqual(track.bucketAt(scale, 130), { count: 8, dominant: 'b', bucketNs: 250 });
    assert.equal(track.bucketAt(scale, 10), null);
  });
});

describe('event colours', () => {
  it('give each of the ten busiest events its own slot, by rank; the rest keep a hashed one', () => {
    const counts = Array.from({ length: 14 }, (_, k) => ({ name: `ev${k}`, count: 1000 - k * 10 }));
    rankEventColours(counts);
    const top = counts.slice(0, EVENT_COLOURS).map((e) => colourOf(e.name));
    assert.deepEqual(top, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(colourOf('ev13') >= 0 && colourOf('ev13') < EVENT_COLOURS);
    rankEventColours([]);
  });
});

describe('lost events on a CPU track', () => {
  const scale = TimeScale.across(0, 1000, 500);
  it('are a line across the track at their time in the warning colour, found under the pointer', () => {
    const track = new EventTrack({ kind: 'cpu', id: 1 });
    track.gaps = [{ kind: 'lost', cpu: 1, count: 9258, line: 467, tsNs: 600 }];
    const { ctx, rects } = recorder();
    // Drawn with or without event data (a CPU whose events were all lost still shows where).
    track.render({ ctx, scale, colours: COLOURS, top: 40, size: { width: 500, height: SLICE_PX + MARK_PX } });
    assert.deepEqual(rects, [{ x: 299, y: 40, w: GAP_LINE_PX, h: SLICE_PX + MARK_PX, fill: 'warning' }]);
    assert.equal(track.gapAt(scale, 302, 4)?.line, 467);
    assert.equal(track.gapAt(scale, 320, 4), null);
  });
});

describe('lifecycle lanes track', () => {
  const summary: LifecycleSummary = {
    model: 'builtin:x',
    states: ['fill', 'rx'],
    objects: 2,
    steps: 3,
    findings: [{ kind: 'fifo-break', key: 'k1', lane: 1, tsNs: 500, cpu: 0, line: 9, index: 8, event: 'e', message: 'm' }],
    findingTotal: 1,
    transitions: [],
  };
  const lanes: LifecycleLanes = {
    model: 'builtin:x',
    first: 0,
    startNs: 0,
    endNs: 1000,
    lanes: [
      { lane: 0, key: 'k0', generation: 0, state: 1, lost: false, steps: 2, cpus: [0], firstTsNs: 0, lastTsNs: 700 },
      { lane: 1, key: 'k1', generation: 0, state: 0, lost: false, steps: 1, cpus: [0], firstTsNs: 400, lastTsNs: 400 },
    ],
    segments: {
      lane: Uint32Array.of(0, 0, 1),
      state: Uint8Array.of(0, 1, 0),
      startNs: Float64Array.of(0, 300, 400),
      endNs: Float64Array.of(300, 700, 1000),
      index: Uint32Array.of(1, 4, 5),
      line: Uint32Array.of(2, 5, 6),
      name: Uint32Array.of(0, 1, 0),
    },
    names: ['xsk_fill', 'xsk_rx'],
  };
  const scale = TimeScale.across(0, 1000, 200);

  it('draws each segment on its lane in its state colour', () => {
    const track = new LifecycleLanesTrack();
    track.state = { summary, lanes, firstLane: 0, rows: 2, selectedLane: null, selectedFinding: null };
    const { ctx, rects } = recorder();
    track.render({ ctx, scale, colours: COLOURS, top: 0, size: { width: 200, height: 2 * LANE_PX } });
    const bars = rects.filter((r) => r.h === LANE_PX - 8);
    assert.deepEqual(
      bars.map((r) => [r.x, r.y, r.w, r.fill]),
      [
        [0, 4, 60, 'c0'],
        [60, 4, 80, 'c1'],
        [80, LANE_PX + 4, 120, 'c0'],
      ],
    );
  });

  it('draws a lost segment as "incomplete: events lost", in no state colour', () => {
    const lost: LifecycleLanes = {
      ...lanes,
      lanes: [{ ...lanes.lanes[0]!, lost: true }],
      segments: {
        lane: Uint32Array.of(0, 0),
        state: Uint8Array.of(0, LANE_LOST_STATE),
        startNs: Float64Array.of(0, 300),
        endNs: Float64Array.of(300, 1000),
        index: Uint32Array.of(1, 1),
        line: Uint32Array.of(2, 467),
        name: Uint32Array.of(0, 0),
      },
    };
    const track = new LifecycleLanesTrack();
    track.state = { summary: { ...summary, findings: [] }, lanes: lost, firstLane: 0, rows: 1, selectedLane: null, selectedFinding: null };
    const { ctx, rects } = recorder();
    track.render({ ctx, scale, colours: COLOURS, top: 0, size: { width: 200, height: LANE_PX } });
    assert.deepEqual(
      rects.filter((r) => r.h === LANE_PX - 8).map((r) => [r.x, r.fill]),
      [[0, 'c0']],
      'only the state segment is a filled bar',
    );
    assert.ok(rects.some((r) => r.x === 60 && r.fill === 'warning'), 'the loss is marked where it happened');
    assert.deepEqual(track.stepAt(scale, 0, 150), { key: 'k0', state: LANE_LOST_TEXT, startNs: 300, event: 'xsk_fill', line: 467, index: 1 });
  });

  it('finds the finding marker and the step under the pointer', () => {
    const track = new LifecycleLanesTrack();
    track.state = { summary, lanes, firstLane: 0, rows: 2, selectedLane: null, selectedFinding: null };
    assert.equal(track.findingAt(scale, 1, 102, 5), 0);
    assert.equal(track.findingAt(scale, 0, 100, 5), -1);
    assert.deepEqual(track.stepAt(scale, 0, 100), { key: 'k0', state: 'rx', startNs: 300, event: 'xsk_rx', line: 5, index: 4 });
    assert.deepEqual(track.stepAt(scale, 1, null), { key: 'k1', state: 'fill', startNs: 400, event: 'xsk_fill', line: 6, index: 5 });
  });
});
