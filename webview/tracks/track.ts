/**
 * What a track is and what it is given to draw itself (after google/perfetto's
 * `ui/src/public/track.ts`): the view lays tracks out, owns zoom and brush, and calls
 * `render(ctx)` with the canvas, the one TimeScale, the theme's colours and the track's box.
 * A track knows its data and how to draw and hit-test it, nothing about layout or input.
 */
import type { TrackId } from '../../src/protocol/messages';
import type { TimeScale } from '../timeline-scale';
import type { Colours } from './colours';

/** A track's identity, as the timeline data names it: `{kind: 'cpu' | 'task' | 'interface' | 'attached', id}`. */
export type { TrackId };

export function sameTrack(a: TrackId, b: TrackId): boolean {
  return a.kind === b.kind && a.id === b.id;
}

export interface TrackRenderContext {
  readonly ctx: CanvasRenderingContext2D;
  /** RelNs <-> CSS px across the canvas. */
  readonly scale: TimeScale;
  readonly colours: Colours;
  /** The track's box on the canvas, CSS px. */
  readonly top: number;
  readonly size: { readonly width: number; readonly height: number };
}

export interface Track {
  render(ctx: TrackRenderContext): void;
}
