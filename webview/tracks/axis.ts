/**
 * The time axis over a TimeScale, shared by the timeline and the lifecycle lanes: about one
 * tick per 110 px, labels in the unit of the tick step (timeline-scale.ts tickFormatter),
 * times since the trace's first event; a counter clock shows counts.
 */
import { axisTop } from 'd3-axis';
import type { Selection } from 'd3-selection';
import { tickFormatter, type TimeScale } from '../timeline-scale';

/** CSS px per tick, roughly. */
const TICK_PX = 110;
/** A tick closer than this (CSS px) to either end has its label anchored inwards. */
const EDGE_PX = 40;
/** Least gap between two neighbouring labels, CSS px. */
const LABEL_GAP_PX = 6;

/**
 * Draws the axis with about one tick per TICK_PX, then with fewer while two labels would
 * overlap: d3 rounds the count to a nice step (up to twice as many ticks as asked), and deep
 * in a long trace a label ("10816.4 ms") is wider than a narrow editor's share of ticks.
 */
export function drawTimeAxis(g: Selection<SVGGElement, unknown, null, undefined>, scale: TimeScale, firstTsNs: number, counter = false): void {
  for (let count = Math.max(2, Math.floor(scale.width / TICK_PX)); ; count--) {
    drawTicks(g, scale, firstTsNs, counter, count);
    if (count <= 1 || !labelsOverlap(g)) return;
  }
}

/** Whether two neighbouring tick labels (as laid out) come closer than LABEL_GAP_PX. */
function labelsOverlap(g: Selection<SVGGElement, unknown, null, undefined>): boolean {
  const boxes = g
    .selectAll<SVGTextElement, unknown>('.tick text')
    .nodes()
    .map((t) => t.getBoundingClientRect())
    .filter((b) => b.width > 0)
    .sort((a, b) => a.left - b.left);
  for (let k = 1; k < boxes.length; k++) if ((boxes[k] as DOMRect).left < (boxes[k - 1] as DOMRect).right + LABEL_GAP_PX) return true;
  return false;
}

function drawTicks(g: Selection<SVGGElement, unknown, null, undefined>, scale: TimeScale, firstTsNs: number, counter: boolean, count: number): void {
  const ticks = scale.d3().ticks(count);
  const step = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : scale.nsPerPx * 100;
  // A counter trace clock (trace_clock counter, x86-tsc) has counts, not nanoseconds.
  const fmt = counter ? (n: number) => String(Math.round(n)) : tickFormatter(step);
  g.call(
    axisTop(scale.d3())
      .ticks(count)
      .tickSize(4)
      .tickFormat((d) => fmt(Number(d) - firstTsNs)),
  );
  // A label centred on a tick at the very edge is half outside the SVG: "0 ms" lost its "0".
  // Labels near an edge grow inwards instead.
  const [x0, x1] = scale.d3().range() as [number, number];
  g.selectAll<SVGTextElement, unknown>('.tick text').attr('text-anchor', (d) => {
    const x = scale.d3()(Number(d));
    return x - x0 < EDGE_PX ? 'start' : x1 - x < EDGE_PX ? 'end' : 'middle';
  });
}
