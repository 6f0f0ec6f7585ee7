/**
 * Maps between the scrollbar (pixels) and rows, for a list too tall for the browser.
 *
 * Browsers cap an element's height (Chromium ~33.5 M px, Firefox ~17.9 M px): 10 M rows at
 * 20 px are 200 M px. The scroll space is therefore `min(total * rowPx, MAX_SCROLL_PX)` and
 * the scrollbar maps linearly onto row positions; below the cap the mapping is exactly one
 * row per `rowPx` pixels. The table keeps the first visible row as a float (the source of
 * truth) and derives scrollTop from it, so wheel and keyboard moves stay row-exact even when
 * one scrollbar pixel stands for dozens of rows.
 */

/** Safe under every engine's cap, with margin for zoom (CSS px are scaled by devicePixelRatio). */
export const MAX_SCROLL_PX = 8_000_000;

export interface Geometry {
  /** Rows in the (filtered) list. */
  readonly total: number;
  /** Height of one row, CSS px. */
  readonly rowPx: number;
  /** Visible height of the scrolling element, CSS px. */
  readonly viewportPx: number;
}

/** Height of the scrollable content, CSS px. */
export function contentPx(g: Geometry): number {
  return Math.min(g.total * g.rowPx, MAX_SCROLL_PX);
}

/** Largest scrollTop, CSS px. */
export function maxScrollPx(g: Geometry): number {
  return Math.max(0, contentPx(g) - g.viewportPx);
}

/** Largest first-row position: the last row's bottom edge touches the viewport's bottom. */
export function maxFirstRow(g: Geometry): number {
  return Math.max(0, g.total - g.viewportPx / g.rowPx);
}

/** True when the scroll space is compressed (one scrollbar px > one row px). */
export function isScaled(g: Geometry): boolean {
  return g.total * g.rowPx > MAX_SCROLL_PX;
}

export function clampFirstRow(firstRow: number, g: Geometry): number {
  return Math.min(Math.max(0, firstRow), maxFirstRow(g));
}

export function firstRowFromScrollTop(scrollTop: number, g: Geometry): number {
  const maxScroll = maxScrollPx(g);
  if (maxScroll <= 0) return 0;
  return clampFirstRow((Math.min(Math.max(0, scrollTop), maxScroll) / maxScroll) * maxFirstRow(g), g);
}

export function scrollTopFromFirstRow(firstRow: number, g: Geometry): number {
  const maxFirst = maxFirstRow(g);
  if (maxFirst <= 0) return 0;
  return (clampFirstRow(firstRow, g) / maxFirst) * maxScrollPx(g);
}

/** Rows that fit entirely in the viewport (at least 1): the PageUp/PageDown step. */
export function fullRowsInView(g: Geometry): number {
  return Math.max(1, Math.floor(g.viewportPx / g.rowPx));
}
