/**
 * The one TimeScale of the webview (DESIGN.md): RelNs <-> CSS pixels of the timeline plot.
 * A d3 linear scale over the whole trace span, rescaled by the d3-zoom transform; every
 * drawing, hit test and request goes through it, so marks, axis and brush agree.
 */
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import type { ZoomTransform } from 'd3-zoom';

/** Narrowest span the view zooms to (ns across the plot): below this, ticks would be sub-ns. */
export const MIN_SPAN_NS = 50;

export class TimeScale {
  private readonly base: ScaleLinear<number, number> = scaleLinear();
  private current: ScaleLinear<number, number> = scaleLinear();
  private k = 1;
  private tx = 0;

  constructor() {
    this.setDomain(0, 1);
  }

  /** A scale showing exactly [startNs, endNs) across `widthPx` (a view without its own zoom, e.g. the lifecycle lanes). */
  static across(startNs: number, endNs: number, widthPx: number): TimeScale {
    const s = new TimeScale();
    s.setDomain(startNs, endNs);
    s.setWidth(widthPx);
    return s;
  }

  /** The full trace span [startNs, endNs). */
  setDomain(startNs: number, endNs: number): void {
    this.base.domain([startNs, Math.max(endNs, startNs + 1)]);
    this.update();
  }

  setWidth(px: number): void {
    this.base.range([0, Math.max(1, px)]);
    this.update();
  }

  setTransform(t: Pick<ZoomTransform, 'k' | 'x'>): void {
    this.k = t.k;
    this.tx = t.x;
    this.update();
  }

  get width(): number {
    return this.base.range()[1] as number;
  }

  get fullSpanNs(): number {
    const [a, b] = this.base.domain() as [number, number];
    return b - a;
  }

  /** Zoom factor at which the plot shows MIN_SPAN_NS. */
  get maxZoom(): number {
    return Math.max(1, this.fullSpanNs / MIN_SPAN_NS);
  }

  toPx(ns: number): number {
    return this.current(ns);
  }

  toNs(px: number): number {
    return this.current.invert(px);
  }

  /** The visible range [startNs, endNs). */
  visible(): [number, number] {
    return [this.current.invert(0), this.current.invert(this.width)];
  }

  /** Nanoseconds per CSS pixel at the current zoom. */
  get nsPerPx(): number {
    const [a, b] = this.visible();
    return (b - a) / this.width;
  }

  /** The current scale, for d3-axis. */
  d3(): ScaleLinear<number, number> {
    return this.current;
  }

  private update(): void {
    // Same as ZoomTransform.rescaleX, without needing a transform object.
    const r = this.base.range() as [number, number];
    const d = r.map((px) => this.base.invert((px - this.tx) / this.k));
    this.current = this.base.copy().domain(d);
  }
}

/**
 * Tick labels for a time axis: the unit follows the tick step (s, ms, µs, ns) and the
 * decimals are just enough to tell neighbouring ticks apart. Times are since the first event.
 */
export function tickFormatter(stepNs: number): (ns: number) => string {
  const step = Math.max(Math.abs(stepNs), 1e-3);
  const [unit, name] = step >= 1e8 ? [1e9, 's'] : step >= 1e5 ? [1e6, 'ms'] : step >= 1e2 ? [1e3, 'µs'] : [1, 'ns'];
  const decimals = Math.max(0, Math.min(9, Math.ceil(-Math.log10(step / unit) - 1e-9)));
  return (ns) => `${(ns / unit).toFixed(decimals)} ${name}`;
}
