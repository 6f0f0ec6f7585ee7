/**
 * The Compare page's stacked timelines (issue 16): for every event name of ActivityDiff, the
 * before (A) strip above the after (B) strip on one time axis, each bucket shaded by its count
 * (darker: more events; the scale is the row's busiest bucket over both sides, so A and B of
 * a row compare directly). Aligned at both starts, or at the first occurrence of an event both
 * sides have (chosen in the select): the chosen event's first time is 0 on both.
 *
 * Drawn on one canvas sized to the page width (ResizeObserver) in device pixels; colours from
 * the theme (--vscode-charts-*), read again when the theme changes. Names are DOM text (dom.ts).
 */
import { el, setText, setTitle } from '../dom';
import type { ActivityDiff, ActivityRow } from '../../src/protocol/compare-messages';

/** Height of one strip and the gap between rows, CSS px. */
const STRIP_PX = 12;
const ROW_GAP_PX = 8;

export type Alignment = { readonly kind: 'start' } | { readonly kind: 'event'; readonly event: string };

/** Where each side's time 0 (its first event) sits on the common axis, and the axis' range (ns). */
export function alignedAxis(d: ActivityDiff, align: Alignment): { offA: number; offB: number; lo: number; hi: number } {
  let offA = 0;
  let offB = 0;
  if (align.kind === 'event') {
    const row = d.rows.find((r) => r.event === align.event);
    if (row && row.firstA !== null && row.firstB !== null) {
      offA = -row.firstA;
      offB = -row.firstB;
    }
  }
  const lo = Math.min(offA, offB);
  const hi = Math.max(offA + d.spanA, offB + d.spanB);
  return { offA, offB, lo, hi: hi > lo ? hi : lo + 1 };
}

function fmtNs(ns: number): string {
  const a = Math.abs(ns);
  const sign = ns < 0 ? '−' : '';
  if (a >= 1e9) return `${sign}${(a / 1e9).toFixed(3)} s`;
  if (a >= 1e6) return `${sign}${(a / 1e6).toFixed(3)} ms`;
  if (a >= 1e3) return `${sign}${(a / 1e3).toFixed(3)} µs`;
  return `${sign}${a.toFixed(0)} ns`;
}

export class ActivityView {
  readonly element = el('div', 'cmp-activity');
  private readonly select = el('select', 'cmp-align');
  private readonly labels = el('div', 'cmp-activity-labels');
  private readonly canvas = el('canvas', 'cmp-activity-canvas');
  private readonly axis = el('div', 'cmp-activity-axis');
  private readonly readout = el('div', 'cmp-activity-readout', ' ');
  private align: Alignment = { kind: 'start' };

  constructor(private readonly data: ActivityDiff) {
    const bar = el('label', 'cmp-align-label', 'Align: ');
    this.select.append(el('option', undefined, 'both starts'));
    this.select.options[0]?.setAttribute('value', '');
    for (const r of data.rows) {
      if (r.event === null || r.firstA === null || r.firstB === null) continue;
      const o = el('option', undefined, `first ${r.event}`);
      o.value = r.event;
      this.select.append(o);
    }
    this.select.addEventListener('change', () => {
      const v = this.select.value;
      this.align = v === '' ? { kind: 'start' } : { kind: 'event', event: v };
      this.draw();
    });
    bar.append(this.select);
    const body = el('div', 'cmp-activity-body');
    const plot = el('div', 'cmp-activity-plot');
    plot.append(this.canvas, this.axis);
    body.append(this.labels, plot);
    this.element.append(bar, body, this.readout);
    for (const r of data.rows) {
      const l = el('div', 'cmp-activity-label');
      l.style.height = `${2 * STRIP_PX + ROW_GAP_PX}px`;
      const name = el('span', 'cmp-activity-name', r.event ?? 'all events');
      setTitle(name, r.event ?? 'all events');
      const ab = el('span', 'cmp-activity-ab');
      ab.append(el('span', undefined, 'A'), el('span', undefined, 'B'));
      l.append(name, ab);
      this.labels.append(l);
    }
    new ResizeObserver(() => this.draw()).observe(plot);
    new MutationObserver(() => this.draw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => setText(this.readout, ' '));
  }

  /** The alignment shown (tests read it). */
  get alignment(): Alignment {
    return this.align;
  }

  private geometry(): { width: number; height: number } {
    return { width: Math.max(50, this.canvas.parentElement?.clientWidth ?? 300), height: this.data.rows.length * (2 * STRIP_PX + ROW_GAP_PX) };
  }

  draw(): void {
    const { width, height } = this.geometry();
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const css = getComputedStyle(document.body);
    const colour = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || css.getPropertyValue(fallback).trim() || 'gray';
    const ca = colour('--vscode-charts-blue', '--vscode-foreground');
    const cb = colour('--vscode-charts-orange', '--vscode-foreground');
    const border = colour('--vscode-panel-border', '--vscode-foreground');
    const { offA, offB, lo, hi } = alignedAxis(this.data, this.align);
    const x = (ns: number): number => ((ns - lo) / (hi - lo)) * width;
    const n = this.data.buckets;
    this.data.rows.forEach((r, k) => {
      const y0 = k * (2 * STRIP_PX + ROW_GAP_PX);
      const max = Math.max(1, ...r.a, ...r.b);
      const strip = (counts: readonly number[], off: number, span: number, y: number, c: string): void => {
        ctx.strokeStyle = border;
        ctx.globalAlpha = 1;
        ctx.strokeRect(x(off) + 0.5, y + 0.5, Math.max(1, x(off + span) - x(off)) - 1, STRIP_PX - 1);
        ctx.fillStyle = c;
        for (let b = 0; b < n; b++) {
          const v = counts[b] as number;
          if (v === 0) continue;
          const left = x(off + (span * b) / n);
          const right = x(off + (span * (b + 1)) / n);
          ctx.globalAlpha = 0.2 + 0.8 * (v / max);
          ctx.fillRect(left, y + 1, Math.max(1, right - left), STRIP_PX - 2);
        }
        ctx.globalAlpha = 1;
      };
      strip(r.a, offA, this.data.spanA, y0, ca);
      strip(r.b, offB, this.data.spanB, y0 + STRIP_PX, cb);
    });
    // Zero of the alignment (when it is not the axis' left edge) as a line across the rows.
    if (lo < 0) {
      ctx.strokeStyle = colour('--vscode-focusBorder', '--vscode-foreground');
      ctx.beginPath();
      ctx.moveTo(Math.round(x(0)) + 0.5, 0);
      ctx.lineTo(Math.round(x(0)) + 0.5, height);
      ctx.stroke();
    }
    this.axis.replaceChildren(el('span', 'cmp-axis-lo', fmtNs(lo)), el('span', 'cmp-axis-zero', this.align.kind === 'event' ? `0 = first ${this.align.event}` : '0 = first event of each'), el('span', 'cmp-axis-hi', fmtNs(hi)));
  }

  private hover(e: MouseEvent): void {
    const { width } = this.geometry();
    const rect = this.canvas.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const k = Math.floor((e.clientY - rect.top) / (2 * STRIP_PX + ROW_GAP_PX));
    const row: ActivityRow | undefined = this.data.rows[k];
    if (!row) return;
    const { offA, offB, lo, hi } = alignedAxis(this.data, this.align);
    const t = lo + (px / width) * (hi - lo);
    const at = (counts: readonly number[], off: number, span: number): string => {
      if (span <= 0) return t === off ? String(counts[0] ?? 0) : '—';
      const b = Math.floor(((t - off) / span) * this.data.buckets);
      return b < 0 || b >= this.data.buckets ? '—' : String(counts[b]);
    };
    const bucketNs = (span: number): string => fmtNs(span / this.data.buckets);
    setText(this.readout, `${row.event ?? 'all events'} at ${fmtNs(t)}: A ${at(row.a, offA, this.data.spanA)} (per ${bucketNs(this.data.spanA)}), B ${at(row.b, offB, this.data.spanB)} (per ${bucketNs(this.data.spanB)})`);
  }
}
