/**
 * The lifecycle lanes as a track: the window of lanes on screen (one object each, virtualized
 * by the view), each with its state segments (a bar per segment, a tick where each step
 * begins) and its findings (a diamond in the error colour; the selected one ringed). The view
 * keeps lanes, scroll and selection; this draws them and finds what is under the pointer.
 */
import type { LifecycleFinding, LifecycleLanes, LifecycleSummary } from '../../src/protocol/messages';
import { LANE_LOST_STATE, LANE_LOST_TEXT } from '../../src/protocol/messages';
import type { TimeScale } from '../timeline-scale';
import { EVENT_COLOURS } from './colours';
import type { Track, TrackRenderContext } from './track';

/** Lane height, CSS px. */
export const LANE_PX = 20;

/** What the view shows now. */
export interface LanesState {
  readonly summary: LifecycleSummary;
  readonly lanes: LifecycleLanes | null;
  /** Lane at the canvas's top edge, and how many lanes are on it. */
  readonly firstLane: number;
  readonly rows: number;
  readonly selectedLane: number | null;
  readonly selectedFinding: number | null;
}

/** One step (segment start) of a lane, as found under the pointer. */
export interface LaneStep {
  readonly key: string;
  readonly state: string;
  readonly startNs: number;
  readonly event: string;
  readonly line: number;
  readonly index: number;
}

export class LifecycleLanesTrack implements Track {
  state: LanesState | null = null;

  render(rc: TrackRenderContext): void {
    const st = this.state;
    if (!st) return;
    const { ctx, scale, colours: c } = rc;
    const w = rc.size.width;
    // Selected lane background, lane separators.
    for (let r = 0; r < st.rows; r++) {
      const lane = st.firstLane + r;
      const y = rc.top + r * LANE_PX;
      if (lane === st.selectedLane) {
        ctx.fillStyle = c.selection || c.border;
        ctx.globalAlpha = 0.5;
        ctx.fillRect(0, y, w, LANE_PX);
        ctx.globalAlpha = 1;
      }
      ctx.strokeStyle = c.border;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(0, y + LANE_PX - 0.5);
      ctx.lineTo(w, y + LANE_PX - 0.5);
      ctx.stroke();
    }
    const d = st.lanes;
    if (!d) return;
    const sg = d.segments;
    for (let k = 0; k < sg.lane.length; k++) {
      const r = d.first + (sg.lane[k] as number) - st.firstLane;
      if (r < 0 || r >= st.rows) continue;
      // A step at the very end of the range (zero length) still shows: 3 px, inside the plot.
      const x0 = Math.min(w - 3, Math.max(-1, scale.toPx(sg.startNs[k] as number)));
      const x1 = Math.min(w + 1, scale.toPx(sg.endNs[k] as number));
      const y = rc.top + r * LANE_PX + 4;
      if (sg.state[k] === LANE_LOST_STATE) {
        // Incomplete, events lost: not a state. A hollow bar with a warning edge, no colour of the palette.
        ctx.fillStyle = c.warning || c.muted;
        ctx.fillRect(Math.round(x0), y - 2, 1.5, LANE_PX - 4);
        ctx.strokeStyle = c.warning || c.muted;
        ctx.lineWidth = 1;
        ctx.setLineDash([3, 2]);
        ctx.strokeRect(x0 + 0.5, y + 0.5, Math.max(3, x1 - x0) - 1, LANE_PX - 9);
        ctx.setLineDash([]);
        continue;
      }
      ctx.fillStyle = c.events[(sg.state[k] as number) % EVENT_COLOURS] ?? c.fg;
      ctx.globalAlpha = 0.75;
      ctx.fillRect(x0, y, Math.max(3, x1 - x0), LANE_PX - 8);
      ctx.globalAlpha = 1;
      ctx.fillRect(Math.round(x0), y - 2, 1.5, LANE_PX - 4);
    }
    st.summary.findings.forEach((f, k) => {
      const r = f.lane - st.firstLane;
      if (f.lane < 0 || r < 0 || r >= st.rows) return;
      const at = scale.toPx(f.tsNs);
      if (at < -6 || at > w + 6) return;
      // A finding on the range's edge (often the last event of an excerpt) is drawn whole.
      const fx = markerX(at, w);
      const cy = rc.top + r * LANE_PX + LANE_PX / 2;
      ctx.fillStyle = c.error || c.fg;
      ctx.beginPath();
      ctx.moveTo(fx, cy - 6);
      ctx.lineTo(fx + 6, cy);
      ctx.lineTo(fx, cy + 6);
      ctx.lineTo(fx - 6, cy);
      ctx.closePath();
      ctx.fill();
      if (k === st.selectedFinding) {
        ctx.strokeStyle = c.focus || c.fg;
        ctx.lineWidth = 2;
        ctx.strokeRect(fx - 8, cy - 8, 16, 16);
      }
    });
  }

  /** The finding of `lane` whose marker is nearest `x` within `maxPx`, as an index into summary.findings; -1 when none. */
  findingAt(scale: TimeScale, lane: number, x: number, maxPx: number): number {
    const findings: readonly LifecycleFinding[] = this.state?.summary.findings ?? [];
    let best = -1;
    let bestPx = maxPx + 1;
    findings.forEach((f, k) => {
      if (f.lane !== lane) return;
      const dx = Math.abs(markerX(scale.toPx(f.tsNs), scale.width) - x);
      if (dx < bestPx) {
        bestPx = dx;
        best = k;
      }
    });
    return best;
  }

  /** The step of `lane` whose segment is under `x` (null: none); with `x` null, the lane's first step in view. */
  stepAt(scale: TimeScale, lane: number, x: number | null): LaneStep | null {
    const st = this.state;
    const d = st?.lanes;
    if (!st || !d) return null;
    const sg = d.segments;
    for (let k = 0; k < sg.lane.length; k++) {
      if ((sg.lane[k] as number) + d.first !== lane) continue;
      if (x !== null) {
        const x0 = scale.toPx(sg.startNs[k] as number);
        const x1 = Math.max(x0 + 2, scale.toPx(sg.endNs[k] as number));
        if (x < x0 - 1 || x > x1 + 1) continue;
      }
      return {
        key: d.lanes[sg.lane[k] as number]?.key ?? '',
        state: sg.state[k] === LANE_LOST_STATE ? LANE_LOST_TEXT : (st.summary.states[sg.state[k] as number] ?? '?'),
        startNs: sg.startNs[k] as number,
        event: d.names[sg.name[k] as number] ?? '',
        line: sg.line[k] as number,
        index: sg.index[k] as number,
      };
    }
    return null;
  }
}

/** Where a finding's marker is drawn: its time, kept whole inside the plot (`widthPx` wide). */
function markerX(px: number, widthPx: number): number {
  return Math.min(widthPx - 8, Math.max(8, px));
}
