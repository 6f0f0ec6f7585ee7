/**
 * The latency histogram on a canvas: log-spaced duration bins (the worker's edges) as equal-width
 * bars, count on a linear axis, in the open event's colour from the timeline's palette; ticks at
 * each decade. Dragging across it brushes a duration range (whole bins); a click takes one bin.
 * Pure drawing and hit-testing; the view asks the worker for the brushed instances.
 */
import type { LatencyHistogram } from '../src/protocol/messages';
import { el } from './dom';
import { formatDuration } from './format';
import type { Colours } from './tracks/colours';

const HEIGHT_PX = 120;
const AXIS_PX = 16;

export class LatencyHistogramView {
  readonly element = el('canvas', 'ktl-lat-hist');
  private data: LatencyHistogram = { edgesNs: [], counts: [] };
  private colour = '';
  /** Brushed bins [first, last], or null. */
  private brush: [number, number] | null = null;
  private dragFrom: number | null = null;

  constructor(
    private readonly colours: () => Colours,
    /** A brushed duration range [loNs, hiNs] (null: cleared). */
    private readonly brushed: (range: [number, number] | null) => void,
  ) {
    this.element.id = 'lat-hist';
    this.element.height = HEIGHT_PX;
    this.element.setAttribute('role', 'img');
    this.element.addEventListener('pointerdown', (e) => {
      const b = this.binAt(e.offsetX);
      if (b === null) return;
      this.element.setPointerCapture(e.pointerId);
      this.dragFrom = b;
      this.setBrush([b, b]);
    });
    this.element.addEventListener('pointermove', (e) => {
      if (this.dragFrom === null) return;
      const b = this.binAt(e.offsetX);
      if (b !== null) this.setBrush([Math.min(this.dragFrom, b), Math.max(this.dragFrom, b)]);
    });
    this.element.addEventListener('pointerup', () => {
      if (this.dragFrom === null) return;
      this.dragFrom = null;
      this.emit();
    });
  }

  set(data: LatencyHistogram, colour: string): void {
    this.data = data;
    this.colour = colour;
    this.brush = null;
    const total = data.counts.reduce((a, b) => a + b, 0);
    this.element.setAttribute(
      'aria-label',
      total === 0 ? 'Latency histogram: no pairs' : `Latency histogram: ${total} pairs from ${formatDuration(data.edgesNs[0] ?? 0)} to ${formatDuration(data.edgesNs.at(-1) ?? 0)}, log scale`,
    );
    this.draw();
  }

  /** Selects bins [first, last] as a drag would (keyboard and tests). */
  brushBins(first: number, last: number): void {
    const n = this.data.counts.length;
    if (n === 0) return;
    this.setBrush([Math.max(0, Math.min(first, last)), Math.min(n - 1, Math.max(first, last))]);
    this.emit();
  }

  private setBrush(b: [number, number] | null): void {
    this.brush = b;
    this.draw();
  }

  private emit(): void {
    const b = this.brush;
    const lo = b ? this.data.edgesNs[b[0]] : undefined;
    const hi = b ? this.data.edgesNs[b[1] + 1] : undefined;
    // The first bin also holds durations under its lower edge (0 ns, clock disorder): from -inf.
    this.brushed(b && lo !== undefined && hi !== undefined ? [b[0] === 0 ? -Number.MAX_VALUE : lo, hi] : null);
  }

  private binAt(x: number): number | null {
    const n = this.data.counts.length;
    if (n === 0) return null;
    const w = this.element.clientWidth || this.element.width;
    return Math.max(0, Math.min(n - 1, Math.floor((x / w) * n)));
  }

  draw(): void {
    const c = this.colours();
    const dpr = window.devicePixelRatio || 1;
    const cssW = Math.max(100, this.element.clientWidth || 400);
    this.element.width = Math.round(cssW * dpr);
    this.element.height = Math.round(HEIGHT_PX * dpr);
    const ctx = this.element.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, HEIGHT_PX);
    const { counts, edgesNs } = this.data;
    const n = counts.length;
    const plotH = HEIGHT_PX - AXIS_PX;
    ctx.strokeStyle = c.border;
    ctx.beginPath();
    ctx.moveTo(0, plotH + 0.5);
    ctx.lineTo(cssW, plotH + 0.5);
    ctx.stroke();
    if (n === 0) return;
    const max = Math.max(...counts, 1);
    const bw = cssW / n;
    if (this.brush) {
      ctx.fillStyle = c.selection;
      ctx.fillRect(this.brush[0] * bw, 0, (this.brush[1] - this.brush[0] + 1) * bw, plotH);
    }
    ctx.fillStyle = this.colour || c.fg;
    for (let b = 0; b < n; b++) {
      const v = counts[b] as number;
      if (v === 0) continue;
      // At least 1 px tall: a bin with one pair in a million is still visible.
      const h = Math.max(1, (v / max) * (plotH - 4));
      ctx.fillRect(b * bw + 0.5, plotH - h, Math.max(1, bw - 1), h);
    }
    // Decade ticks: edges that are powers of ten.
    ctx.fillStyle = c.muted;
    ctx.strokeStyle = c.muted;
    ctx.font = c.font;
    ctx.textBaseline = 'top';
    let lastLabelEnd = -Infinity;
    for (let e = 0; e < edgesNs.length; e++) {
      const v = edgesNs[e] as number;
      if (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) > 1e-9) continue;
      const x = e * bw;
      ctx.beginPath();
      ctx.moveTo(x + 0.5, plotH);
      ctx.lineTo(x + 0.5, plotH + 4);
      ctx.stroke();
      const label = formatDuration(v);
      const tw = ctx.measureText(label).width;
      const lx = Math.min(Math.max(0, x - tw / 2), cssW - tw);
      if (lx > lastLabelEnd + 4) {
        ctx.fillText(label, lx, plotH + 4);
        lastLabelEnd = lx + tw;
      }
    }
  }
}
