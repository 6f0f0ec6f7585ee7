/**
 * How tall the timeline's tracks area is and how tall each track: the area follows a share of
 * the editor's height until the user drags its bottom edge (the dragged height is saved per
 * editor); the tracks share it, taller when there are few (up to MAX_TRACK_PX), and scroll
 * under the axis when even at their least (MIN_TRACK_PX) they do not fit.
 */
import { MARK_PX, SLICE_PX, TRACK_GAP_PX } from './tracks/event-track';

/** A track at its least (slices, marks, gap) and at its most, CSS px. */
export const MIN_TRACK_PX = SLICE_PX + MARK_PX + TRACK_GAP_PX;
export const MAX_TRACK_PX = 80;
/** Share of the editor's height the tracks area takes before it is dragged; more (up to MAX_DEFAULT_SHARE) to show every track at its least. */
const DEFAULT_SHARE = 0.25;
const MAX_DEFAULT_SHARE = 0.4;
/** Least and most a drag leaves the tracks area, CSS px (most: a share of the editor, so the views under it keep room). */
const MIN_AREA_PX = MIN_TRACK_PX;
const MAX_AREA_SHARE = 0.8;

/**
 * The tracks area before the user drags it, for `tracks` tracks in an editor `editorPx` tall: a
 * quarter of it (the table under it keeps most), or what every track needs at its least when
 * that is more, up to 40 %; at least two tracks.
 */
export function defaultAreaPx(editorPx: number, tracks: number): number {
  const fit = Math.min(tracks * MIN_TRACK_PX, editorPx * MAX_DEFAULT_SHARE);
  return Math.round(Math.max(2 * MIN_TRACK_PX, editorPx * DEFAULT_SHARE, fit));
}

/** A dragged height kept within what the editor has (`editorPx` tall; 0: not laid out yet, no upper bound). */
export function clampAreaPx(px: number, editorPx: number): number {
  const most = editorPx > 0 ? Math.max(MIN_AREA_PX, editorPx * MAX_AREA_SHARE) : Infinity;
  return Math.round(Math.max(MIN_AREA_PX, Math.min(px, most)));
}

/** Each of `tracks` tracks' height in an area `areaPx` tall: an equal share, within [MIN_TRACK_PX, MAX_TRACK_PX]. */
export function trackPxFor(areaPx: number, tracks: number): number {
  return Math.max(MIN_TRACK_PX, Math.min(MAX_TRACK_PX, Math.floor(areaPx / Math.max(1, tracks))));
}
