/**
 * The timeline view: layout, zoom, brush and picking over tracks that draw themselves
 * (tracks/: one per CPU, task or capture interface, sched_switch task slices above the event
 * marks).
 *
 * Drawing: each track renders onto one canvas (no DOM per event) given the one TimeScale
 * (timeline-scale.ts), the theme's colours and its box; the time axis and the brush are SVG
 * through d3 (tracks/axis.ts, d3-brush), zoom/pan through d3-zoom on the canvas.
 *
 * Data: the view asks the host for (visible range, resolution = plot width in px, CPUs,
 * the table's filter) and gets per-bucket counts and dominant events, the events one by one
 * when few enough, and task slices (timeline-data.ts checks them). While a reply is on its
 * way the last data is redrawn under the new scale, so zooming never waits for the worker.
 * At most one request is in flight; a view change meanwhile sends one more when it lands.
 *
 * Input: wheel zooms at the pointer, drag pans, the ruler under the axis brushes a range
 * (duration and exact counts from the host), click picks an event (details + the table
 * selects it). Keys on the focused plot: + / - zoom, ← / → pan, 0 resets, Esc clears the
 * selection. Trace text (comms, event names) is drawn on the canvas or set as textContent.
 */
import { brushX, type BrushBehavior, type D3BrushEvent } from 'd3-brush';
import { select, type Selection } from 'd3-selection';
import { zoom as d3zoom, zoomIdentity, zoomTransform, type ZoomBehavior } from 'd3-zoom';
import type { CountEntry, EventFilter, EventRow, TimelineData, TraceGapView, TraceSummary } from '../src/protocol/messages';
import { MAX_TIMELINE_RESOLUTION, type CaptureOverlayInfo, type CaptureToHost } from '../src/protocol/messages';
import { CaptureBar } from './capture-bar';
import { TimelineLegend } from './timeline-legend';
import { RangePanel } from './range-panel';
import { isRangeStats } from './timeline-data';
import { el, setText, setTitle, setTitleLines } from './dom';
import { formatCount, formatDuration, formatSeconds, eventPlace, formatTask, positionLabel, trackName } from './format';
import { isEventRow } from './sanitize';
import { isCountList, isTimelineData } from './timeline-data';
import { TimeScale } from './timeline-scale';
import { colourOf, type ThemeColours } from './tracks/colours';
import { drawTimeAxis } from './tracks/axis';
import { EventTrack, SLICE_PX, TRACK_GAP_PX } from './tracks/event-track';
import { PacketLinks } from './tracks/packet-links';
import { clampAreaPx, defaultAreaPx, MIN_TRACK_PX, trackPxFor } from './timeline-height';
import { dragGrip } from './drag-grip';
import { sameTrack, type TrackId } from './tracks/track';
import { trackIdOf } from './tracks/track-id';
import { Latest, OneInFlight, type RequestBody, type Rpc } from './rpc';

/** Layout, CSS px. */
const LABEL_PX = 64;
const AXIS_PX = 22;
const RULER_PX = 14;
/** Pointer distance within which a click picks an event mark. */
const HIT_PX = 4;
/** User-timing name of one draw, and how many are kept before they are cleared. */
const DRAW_MEASURE = 'ktl-timeline-draw';
const DRAW_MEASURES = 5000;
/** Keyboard zoom step and pan step (fraction of the visible span). */
const KEY_ZOOM = 1.5;
const KEY_PAN = 0.1;
/** Opacity of the events a filter expression drops (drawn beneath the matching ones). */
const DIM_ALPHA = 0.22;
/**
 * Why an event is fetched, and so what to do with it when it arrives: `click` (here; a
 * double-click also opens its line) shows it and selects it in the table; `table` (the table
 * selected it) marks it and brings it into view; `other` (another view picked it) does both.
 */
export type PickIntent = { readonly kind: 'click'; readonly openLine: boolean } | { readonly kind: 'table' } | { readonly kind: 'other' };

export interface TimelineHost {
  readonly rpc: Rpc;
  /** The theme's colours, shared with the other canvas views. */
  readonly colours: ThemeColours;
  /** The capture bar's messages (the clock offset, Remove). */
  post(m: CaptureToHost): void;
  /** The table's current filter: the timeline shows the same events. */
  filter(): EventFilter;
  /** An event was picked on the timeline; position = its row in the table's list (null if filtered out). */
  picked(row: EventRow, position: number | null): void;
  /** Open the event's line in the trace text (double-click on a mark, as in the table), and its source line when mapped. */
  revealLine(line: number, event?: string): void;
  /** The visible range or the brushed selection changed (persisted state; views sharing the time range). */
  viewChanged?(range: [number, number], selection: [number, number] | null): void;
  /** "Filter table to range" in the range panel: the table (and timeline) keep only [startNs, endNs). */
  filterToRange?(range: readonly [number, number]): void;
  /** The tracks area was dragged to `px` tall (CSS px; saved per editor). */
  heightChanged?(px: number): void;
}

/** A track laid out: its renderer and its top edge on the canvas (CSS px). */
interface Placed {
  readonly track: EventTrack;
  readonly top: number;
}

export class TimelineView {
  readonly element = el('section', 'ktl-timeline');
  private readonly rangeLabel = el('span', 'ktl-tl-range');
  private readonly selectionLabel = el('span', 'ktl-tl-selection');
  private readonly details = el('div', 'ktl-tl-details');
  private readonly labels = el('div', 'ktl-tl-labels');
  private readonly plot = el('div', 'ktl-tl-plot');
  private readonly canvas = el('canvas', 'ktl-tl-canvas');
  private readonly band = el('div', 'ktl-tl-band');
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly axisG: Selection<SVGGElement, unknown, null, undefined>;
  private readonly brushG: Selection<SVGGElement, unknown, null, undefined>;
  private readonly scale = new TimeScale();
  private readonly zoom: ZoomBehavior<HTMLCanvasElement, unknown>;
  private readonly brush: BrushBehavior<unknown>;

  private summary: TraceSummary | null = null;
  private tracks: Placed[] = [];
  private tracksPx = 0;
  /** One track's height (CSS px): a share of the tracks area (timeline-height.ts). */
  private trackPx = MIN_TRACK_PX;
  /** The tracks area's height the user dragged (CSS px); null: a share of the editor's height. */
  private areaPx: number | null = null;
  /** Scrolls the tracks (under the sticky axis) when they do not fit the area. */
  private readonly body = el('div', 'ktl-tl-body');
  private data: TimelineData | null = null;
  private frame = 0;
  /** The data for the visible range: one request in flight, one more when it lands if the view moved. */
  private readonly dataRequest: OneInFlight<'timeline'>;
  /**
   * Under a filter expression: the same range without it, drawn dimmed beneath the matching
   * marks, so what does not match stays visible in place (null: no expression, or not yet).
   */
  private dimData: TimelineData | null = null;
  private readonly dimRequest: OneInFlight<'timeline'>;
  /** The brushed range [startNs, endNs), kept in time so zooming moves the brush with it. */
  private selection: [number, number] | null = null;
  private readonly rangeRequest: Latest<'timelineRange'>;
  private readonly pickRequest: Latest<'eventAt'>;
  /** A whole-trace request whose reply sets the zoom to the matching events. */
  private readonly fitRequest: Latest<'timeline'>;
  private picked: EventRow | null = null;
  /** Set while the brush is moved by code (zoom), so its events are not taken as the user's. */
  private movingBrush = false;
  /** A saved view (tab switched back) to restore once the summary has laid the plot out. */
  private pendingRestore: { range: [number, number]; selection: [number, number] | null } | null = null;
  /** `ktl-timeline-draw` user-timing entries made (bench/timeline.bench.mjs reads them); cleared every DRAW_MEASURES. */
  private measures = 0;

  /** Interfaces of an attached capture, drawn after the CPUs. */
  private captureTracks: { id: TrackId; label: string }[] = [];
  /** The attached capture's packets linked to this trace's events, and the highlighted link. */
  private readonly links = new PacketLinks();
  private readonly captureBar: CaptureBar;
  private readonly legend = new TimelineLegend();
  /** What the brushed range holds (counts per event, CPU, task; run time; first/last). */
  private readonly rangePanel = new RangePanel(
    () => this.summary?.firstTsNs ?? 0,
    (range) => this.host.filterToRange?.(range),
  );
  private readonly statsRequest: Latest<'rangeStats'>;

  constructor(private readonly host: TimelineHost) {
    this.captureBar = new CaptureBar((m) => host.post(m));
    this.dataRequest = new OneInFlight(
      host.rpc,
      () => this.dataBody(),
      (msg) => {
        if (isTimelineData(msg.data)) this.setData(msg.data);
        this.schedule();
      },
    );
    this.dimRequest = new OneInFlight(
      host.rpc,
      () => this.dimBody(),
      (msg) => {
        this.dimData = isTimelineData(msg.data) && this.dimBody() ? msg.data : null;
        this.schedule();
      },
    );
    this.rangeRequest = new Latest(host.rpc);
    this.statsRequest = new Latest(host.rpc);
    this.pickRequest = new Latest(host.rpc);
    this.fitRequest = new Latest(host.rpc);
    this.element.id = 'timeline';
    this.element.setAttribute('aria-label', 'Timeline');
    const bar = el('div', 'ktl-tl-bar');
    const title = el('span', 'ktl-tl-title', 'Timeline');
    const out = button('−', 'Zoom out (-)', () => this.zoomBy(1 / KEY_ZOOM));
    const zin = button('+', 'Zoom in (+)', () => this.zoomBy(KEY_ZOOM));
    const reset = button('Fit', 'Fit the events that match the filter (the whole trace without one; 0 always shows the whole trace)', () => this.fitToMatches());
    this.rangeLabel.id = 'timeline-range';
    this.selectionLabel.id = 'timeline-selection';
    setTitle(this.selectionLabel, 'Drag on the ruler under the axis to select a range; Esc clears it');
    bar.append(title, this.rangeLabel, el('span', 'ktl-spacer'), this.selectionLabel, out, zin, reset);

    const body = this.body;
    this.labels.setAttribute('aria-hidden', 'true');
    this.labels.style.width = `${LABEL_PX}px`;
    this.canvas.id = 'timeline-canvas';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Per-CPU timeline: wheel or +/- to zoom, drag or arrow keys to pan, click an event for its details');
    this.band.hidden = true;
    const svgEl = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svgEl.classList.add('ktl-tl-svg');
    this.svg = select(svgEl);
    this.axisG = this.svg.append('g').attr('class', 'ktl-tl-axis').attr('transform', `translate(0,${AXIS_PX})`);
    this.brushG = this.svg.append('g').attr('class', 'ktl-tl-brush').attr('transform', `translate(0,${AXIS_PX})`);
    this.plot.append(svgEl, this.canvas, this.band);
    body.append(this.labels, this.plot);
    this.details.id = 'timeline-details';
    this.details.setAttribute('aria-live', 'polite');
    // The tracks area's bottom edge: dragged (or arrow keys) to make the timeline taller or shorter.
    const grip = dragGrip({
      className: 'ktl-tl-grip',
      label: 'Resize the timeline',
      axis: 'y',
      start: () => this.body.clientHeight - AXIS_PX - RULER_PX,
      resize: (px) => this.setAreaPx(px),
      done: (px) => host.heightChanged?.(px),
    });
    grip.id = 'timeline-grip';
    this.element.append(bar, this.legend.element, this.captureBar.element, body, grip, this.details, this.rangePanel.element);
    window.addEventListener('resize', () => {
      // Following the editor's height (not dragged): lay out again only when the tracks change size.
      if (this.areaPx === null && this.summary && this.tracksHeightChanged()) this.layoutTracks();
    });
    this.showHint();

    this.zoom = d3zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, 1])
      .on('zoom', () => this.onZoom());
    select(this.canvas).call(this.zoom).on('dblclick.zoom', null);
    this.brush = brushX<unknown>().on('brush end', (e: D3BrushEvent<unknown>) => this.onBrush(e));
    this.canvas.addEventListener('click', (e) => this.onClick(e, false));
    this.canvas.addEventListener('dblclick', (e) => this.onClick(e, true));
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.layout()).observe(this.plot);
    host.colours.onChange(() => this.schedule());
  }

  /** A (new) trace summary: tracks for its CPUs, the whole span in view. */
  setSummary(s: TraceSummary): void {
    const first = this.summary === null;
    // The trace grew while being read: a zoomed view keeps its range; the full view follows the new span.
    const t = this.currentTransform();
    const zoomedTo = !first && (t.k !== 1 || t.x !== 0) ? this.scale.visible() : null;
    this.summary = s;
    this.legend.set(s);
    this.scale.setDomain(s.firstTsNs, s.firstTsNs + s.durationNs + 1);
    if (zoomedTo) this.zoomTo(zoomedTo[0], zoomedTo[1]);
    this.layoutTracks();
    if (first) {
      const saved = this.pendingRestore;
      this.pendingRestore = null;
      const [lo, hi] = [s.firstTsNs, s.firstTsNs + s.durationNs + 1];
      if (saved && saved.range[0] >= lo && saved.range[1] <= hi && saved.range[1] > saved.range[0]) {
        this.zoomTo(saved.range[0], saved.range[1]);
        if (saved.selection && saved.selection[1] > saved.selection[0]) {
          this.selection = saved.selection;
          this.placeBrush();
          this.showRange(saved.selection[0], saved.selection[1], null, [], []);
          this.requestRange();
        }
      } else this.resetZoom();
    }
    this.request();
  }

  /** A capture drawn under the CPUs (or none): its interfaces become tracks, and the data is asked again. */
  setCaptureOverlay(overlay: CaptureOverlayInfo | null): void {
    this.captureBar.show(overlay);
    this.captureTracks = overlay ? overlay.interfaces.map((name, k) => ({ id: { kind: 'attached', id: k }, label: name })) : [];
    if (!this.summary) return;
    this.layoutTracks();
    this.request();
  }

  /** A track's name: its task (strace), interface (captures, an attached capture) or CPU. */
  private trackLabel(t: TrackId): string {
    const s = this.summary;
    if (t.kind === 'attached') return this.captureTracks.find((c) => c.id.id === t.id)?.label ?? `interface ${t.id}`;
    if (!s) return `CPU ${t.id}`;
    return (t.kind === 'task' ? s.taskTracks?.find((x) => x.id === t.id)?.label : undefined) ?? trackName(s, t.id);
  }

  /** The tracks area or a track's height would differ from what is laid out. */
  private tracksHeightChanged(): boolean {
    const area = this.areaPx ?? defaultAreaPx(window.innerHeight, this.tracks.length);
    return trackPxFor(area, this.tracks.length) !== this.trackPx || this.body.style.height !== this.bodyHeight(area);
  }

  /** The body's CSS height for a tracks area `area` px tall: the tracks, or the area when they are taller (they scroll). */
  private bodyHeight(area: number): string {
    return `${AXIS_PX + RULER_PX + Math.min(this.tracksPx, Math.max(area, this.trackPx))}px`;
  }

  /**
   * One track per CPU (strace: per task), then one per interface of an attached capture. When
   * they are the tracks there were (another height, a longer snapshot), the data stays: no flash
   * while dragging, no blank tracks while the next reply is computed.
   */
  private layoutTracks(): void {
    const s = this.summary;
    if (!s) return;
    const base = s.taskTracks
      ? s.taskTracks.map((x) => ({ id: trackIdOf(s, x.id), label: x.label, title: `task ${x.label}` }))
      : s.cpus.map((cpu) => ({ id: trackIdOf(s, cpu), label: trackName(s, cpu), title: trackName(s, cpu) }));
    const all = [...base, ...this.captureTracks.map((c) => ({ ...c, title: `${this.captureBar.current?.name ?? 'capture'}: interface ${c.label}` }))];
    // The area the tracks share: dragged, or a share of the editor; few tracks grow to fill it.
    const area = this.areaPx ?? defaultAreaPx(window.innerHeight, all.length);
    const trackPx = trackPxFor(area, all.length);
    this.trackPx = trackPx;
    // The same tracks: the last reply stays drawn, at its times, until the new one arrives (the
    // whole-trace index of a 1 GiB trace takes seconds to build; the tracks were blank meanwhile).
    const sameTracks = this.tracks.length === all.length && all.every((x, k) => sameTrack(x.id, (this.tracks[k] as Placed).track.id));
    this.tracks = all.map((x, k) => ({ track: new EventTrack(x.id), top: k * trackPx + TRACK_GAP_PX / 2 }));
    // Lost events and late buffers are the CPU's: drawn on its track.
    for (const p of this.tracks) if (p.track.id.kind === 'cpu') p.track.gaps = (s.gaps ?? []).filter((g) => g.cpu === p.track.id.id);
    this.tracksPx = Math.max(trackPx, all.length * trackPx);
    const head = el('div', 'ktl-tl-label-head');
    head.style.height = `${AXIS_PX + RULER_PX}px`;
    this.labels.replaceChildren(head);
    for (const x of all) {
      const l = el('div', `ktl-tl-label${x.id.kind === 'attached' ? ' ktl-tl-capture' : ''}`, x.label);
      setTitle(l, x.title);
      l.style.height = `${trackPx}px`;
      this.labels.append(l);
    }
    this.canvas.style.height = `${this.tracksPx}px`;
    this.canvas.dataset.trackPx = String(trackPx);
    this.plot.style.height = `${AXIS_PX + RULER_PX + this.tracksPx}px`;
    // Taller than the area (many tracks): the body scrolls them under the axis; else it fits them.
    this.body.style.height = this.bodyHeight(area);
    this.setData(sameTracks ? this.data : null);
    this.layout();
  }

  /** Sets the tracks area's height (the grip's drag); returns the height set, CSS px. */
  private setAreaPx(px: number): number {
    this.areaPx = clampAreaPx(px, window.innerHeight);
    this.layoutTracks();
    return this.areaPx;
  }

  /** A saved tracks area height (the user dragged it before the page was hidden). */
  restoreHeight(px: number | undefined): void {
    if (px === undefined) return;
    this.areaPx = clampAreaPx(px, window.innerHeight);
    if (this.summary) this.layoutTracks();
  }

  /** A reply for the visible range (null: none yet): each track takes its part. */
  private setData(data: TimelineData | null): void {
    this.data = data;
    this.links.current = data?.links ?? null;
    for (const p of this.tracks) p.track.current = null;
    if (!data) return;
    for (const t of data.tracks) {
      const p = this.tracks.find((x) => sameTrack(x.track.id, t.track));
      if (p) p.track.current = { data, track: t };
    }
  }

  /** Restores a saved zoom range and brushed selection when the summary arrives (call before setSummary). */
  restore(range: [number, number], selection: [number, number] | null): void {
    this.pendingRestore = { range, selection };
  }

  /** The visible range [startNs, endNs), RelNs. */
  visibleRange(): [number, number] {
    return this.scale.visible();
  }

  private notifyView(): void {
    if (this.summary) this.host.viewChanged?.(this.scale.visible(), this.selection);
  }

  /** The table's filter changed: ask again for the same range. */
  refresh(): void {
    this.setData(null);
    this.dimData = null;
    this.request();
    if (this.selection) this.requestRange();
  }

  /** Asks for event `index` (and its position in the table's list); `intent` says what to do with it. */
  private requestEvent(index: number, intent: PickIntent): void {
    this.pickRequest.send(
      { type: 'eventAt', index, filter: this.host.filter() },
      (msg) => {
        if (!isEventRow(msg.row)) return;
        if (intent.kind === 'click' && intent.openLine && this.summary?.lineKind === 'line') this.host.revealLine(msg.row.line, msg.row.event);
        if (intent.kind === 'table') {
          this.reveal(msg.row);
          return;
        }
        if (intent.kind === 'other') this.reveal(msg.row);
        else this.showEvent(msg.row);
        this.host.picked(msg.row, msg.position);
      },
      (message) => setText(this.details, message),
    );
  }

  /** The table selected event `index`: fetch it, then reveal it. */
  revealIndex(index: number): void {
    if (this.picked?.index === index || !this.summary) return;
    this.requestEvent(index, { kind: 'table' });
  }

  /** Another view (fd panel, capture findings, a Problems link) picked event `index`: select it as a click here would, and bring it into view. */
  pickIndex(index: number): void {
    if (!this.summary) return;
    this.requestEvent(index, { kind: 'other' });
  }

  /** The table selected an event: mark it, and bring it into view when it is outside. */
  reveal(row: EventRow): void {
    if (this.picked?.index === row.index) return;
    this.showEvent(row);
    const [a, b] = this.scale.visible();
    if (row.tsNs < a || row.tsNs >= b) this.panTo(row.tsNs);
    this.schedule();
  }

  /** Keeps the zoom, centres `tsNs`. */
  panTo(tsNs: number): void {
    const t = this.currentTransform();
    const x = this.scale.toPx(tsNs);
    select(this.canvas).call(this.zoom.translateBy, (this.scale.width / 2 - x) / t.k, 0);
  }

  /** Shows [startNs, endNs) across the plot. */
  zoomTo(startNs: number, endNs: number): void {
    const w = this.scale.width;
    this.scale.setTransform(zoomIdentity);
    const x0 = this.scale.toPx(startNs);
    const x1 = this.scale.toPx(endNs);
    const k = Math.min(this.scale.maxZoom, w / Math.max(x1 - x0, 1e-9));
    select(this.canvas).call(this.zoom.transform, zoomIdentity.scale(k).translate(-x0, 0));
  }

  // --- data ----------------------------------------------------------------------------

  private request(): void {
    if (!this.summary || this.scale.width <= 1) return;
    this.dataRequest.ask();
    if (this.host.filter().expr) this.dimRequest.ask();
    else this.dimData = null;
  }

  /** The visible range under the table's filter without its expression (the dimmed layer); null without one. */
  private dimBody(): RequestBody<'timeline'> | null {
    const body = this.dataBody();
    if (!body?.filter.expr) return null;
    return { ...body, filter: { ...body.filter, expr: undefined } };
  }

  /** The visible range at the plot's resolution, under the table's filter. */
  private dataBody(): RequestBody<'timeline'> | null {
    if (!this.summary || this.scale.width <= 1) return null;
    const [startNs, endNs] = this.scale.visible();
    if (!(endNs > startNs)) return null;
    const resolution = Math.max(1, Math.min(MAX_TIMELINE_RESOLUTION, Math.round(this.scale.width)));
    return { type: 'timeline', startNs, endNs, resolution, cpus: null, filter: this.host.filter() };
  }

  private requestRange(): void {
    if (!this.selection) return;
    const [startNs, endNs] = this.selection;
    this.rangePanel.pending(startNs, endNs);
    this.statsRequest.send(
      { type: 'rangeStats', startNs, endNs, filter: this.host.filter() },
      (msg) => {
        if (isRangeStats(msg.stats)) this.rangePanel.show(msg.stats);
      },
      (message) => setText(this.rangePanel.element, message),
    );
    this.rangeRequest.send(
      { type: 'timelineRange', startNs, endNs, cpus: null, filter: this.host.filter() },
      (msg) => {
        if (isCountList(msg.cpus) && isCountList(msg.events)) this.showRange(msg.startNs, msg.endNs, msg.total, msg.cpus, msg.events);
      },
      (message) => setText(this.selectionLabel, message),
    );
  }

  // --- layout and drawing ----------------------------------------------------------------

  private layout(): void {
    const w = Math.max(1, this.plot.clientWidth);
    const t = this.currentTransform();
    this.scale.setWidth(w);
    this.scale.setTransform(t);
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(this.tracksPx * dpr);
    this.svg.attr('width', w).attr('height', AXIS_PX + RULER_PX);
    this.zoom
      .scaleExtent([1, this.scale.maxZoom])
      .extent([
        [0, 0],
        [w, this.tracksPx],
      ])
      .translateExtent([
        [0, 0],
        [w, this.tracksPx],
      ]);
    this.brush.extent([
      [0, 0],
      [w, RULER_PX],
    ]);
    this.brushG.call(this.brush);
    this.placeBrush();
    this.schedule();
    this.request();
  }

  /** The zoom as d3-zoom keeps it on the canvas (identity before any zoom). */
  private currentTransform(): { k: number; x: number; y: number } {
    return zoomTransform(this.canvas);
  }

  private schedule(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    const t0 = performance.now();
    this.frame = 0;
    if (!this.summary) return;
    const colours = this.host.colours.get();
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const w = this.scale.width;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, this.tracksPx);

    // A counter trace clock (trace_clock counter, x86-tsc) has counts, not nanoseconds.
    const counter = this.summary.timeSource === 'counter';
    drawTimeAxis(this.axisG, this.scale, this.summary.firstTsNs, counter);
    const [a, b] = this.scale.visible();
    const first = this.summary.firstTsNs;
    setText(
      this.rangeLabel,
      counter
        ? `${Math.round(a - first)} – ${Math.round(b - first)} · ${Math.round(b - a)} counts in view`
        : `${formatSeconds(a - first, 9)} s – ${formatSeconds(b - first, 9)} s · ${formatDuration(b - a)} in view`,
    );
    this.rangeLabel.dataset.startNs = String(a);
    this.rangeLabel.dataset.endNs = String(b);

    // Track separators and lane backgrounds.
    ctx.strokeStyle = colours.border;
    ctx.lineWidth = 1;
    for (const tr of this.tracks) {
      const y = Math.round(tr.top + this.trackPx - TRACK_GAP_PX / 2) + 0.5;
      ctx.beginPath();
      ctx.moveTo(0, y);
      ctx.lineTo(w, y);
      ctx.stroke();
    }

    const data = this.data;
    const dim = this.dimData;
    for (const p of this.tracks) {
      const size = { width: w, height: this.trackPx - TRACK_GAP_PX };
      // Events the expression drops: drawn first, faint; then the matching ones over them.
      const dimTrack = dim?.tracks.find((t) => sameTrack(p.track.id, t.track));
      if (dim && dimTrack) {
        const own = p.track.current;
        p.track.current = { data: dim, track: dimTrack };
        ctx.globalAlpha = DIM_ALPHA;
        p.track.render({ ctx, scale: this.scale, colours, top: p.top, size });
        ctx.globalAlpha = 1;
        p.track.current = own;
      }
      p.track.render({ ctx, scale: this.scale, colours, top: p.top, size });
    }
    this.canvas.dataset.dimmed = dim ? String(dim.startNs) : '';
    this.drawLinks(ctx);

    // The brushed range and the picked event.
    if (this.selection) {
      const x0 = Math.max(0, this.scale.toPx(this.selection[0]));
      const x1 = Math.min(w, this.scale.toPx(this.selection[1]));
      this.band.hidden = !(x1 > x0);
      this.band.style.left = `${x0}px`;
      this.band.style.width = `${Math.max(1, x1 - x0)}px`;
      this.band.style.top = `${AXIS_PX}px`;
      this.band.style.height = `${RULER_PX + this.tracksPx}px`;
    } else this.band.hidden = true;
    const p = this.picked;
    const s = this.summary;
    const tr = p ? this.tracks.find((x) => sameTrack(x.track.id, trackIdOf(s, p.cpu))) : undefined;
    if (p && tr) {
      const x = Math.round(this.scale.toPx(p.tsNs)) + 0.5;
      if (x >= 0 && x <= w) {
        ctx.strokeStyle = colours.focus || colours.fg;
        ctx.lineWidth = 1;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(x, 0);
        ctx.lineTo(x, this.tracksPx);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.lineWidth = 2;
        ctx.strokeRect(x - 3, tr.top + SLICE_PX, 6, this.markPx());
      }
    }
    this.canvas.dataset.drawn = data ? String(data.startNs) : '';
    // Frame cost (axis + canvas) as a user-timing entry, for the benchmark and DevTools.
    if (++this.measures > DRAW_MEASURES) {
      performance.clearMeasures(DRAW_MEASURE);
      this.measures = 1;
    }
    performance.measure(DRAW_MEASURE, { start: t0 });
  }

  /** Height of a track's marks lane, CSS px. */
  private markPx(): number {
    return this.trackPx - TRACK_GAP_PX - SLICE_PX;
  }

  /** The y of a track's marks lane middle (CSS px on the canvas); undefined when not laid out. */
  private markMid(id: TrackId): number | undefined {
    const p = this.tracks.find((t) => sameTrack(t.track.id, id));
    return p ? p.top + SLICE_PX + this.markPx() / 2 : undefined;
  }

  /** Packet ↔ event lines over the tracks; what is drawn goes to data attributes (tests, and the capture bar's count). */
  private drawLinks(ctx: CanvasRenderingContext2D): void {
    const s = this.summary;
    if (!s) return;
    const drawn = this.links.render(ctx, this.scale, this.host.colours.get(), (id) => this.markMid(id.kind === 'cpu' ? trackIdOf(s, id.id) : id), this.markPx());
    const l = this.links.current;
    const hi = this.links.highlighted();
    this.canvas.dataset.links = l ? String(drawn) : '';
    this.canvas.dataset.linkHighlight = hi ? `${hi.packet}>${hi.event}` : '';
    this.captureBar.showLinks(l ? { drawn, total: l.total } : null);
  }

  // --- selection, details ----------------------------------------------------------------

  private placeBrush(): void {
    this.movingBrush = true;
    try {
      if (!this.selection) this.brushG.call(this.brush.move, null);
      else {
        const w = this.scale.width;
        const x0 = Math.max(0, Math.min(w, this.scale.toPx(this.selection[0])));
        const x1 = Math.max(0, Math.min(w, this.scale.toPx(this.selection[1])));
        this.brushG.call(this.brush.move, x1 > x0 ? [x0, x1] : null);
      }
    } finally {
      this.movingBrush = false;
    }
  }

  private onBrush(e: D3BrushEvent<unknown>): void {
    if (this.movingBrush || !e.sourceEvent) return;
    const sel = e.selection as [number, number] | null;
    if (!sel || sel[1] - sel[0] < 1) {
      if (e.type === 'end') this.clearSelection();
      return;
    }
    this.selection = [this.scale.toNs(sel[0]), this.scale.toNs(sel[1])];
    this.showRange(this.selection[0], this.selection[1], null, [], []);
    if (e.type === 'end') {
      this.requestRange();
      this.notifyView();
    }
    this.schedule();
  }

  private clearSelection(): void {
    this.selection = null;
    this.rangeRequest.cancel();
    this.statsRequest.cancel();
    this.rangePanel.clear();
    this.band.hidden = true;
    setText(this.selectionLabel, '');
    delete this.selectionLabel.dataset.durationNs;
    delete this.selectionLabel.dataset.total;
    this.placeBrush();
    this.schedule();
    this.notifyView();
  }

  private showRange(startNs: number, endNs: number, total: number | null, cpus: readonly CountEntry[], events: readonly CountEntry[]): void {
    const dur = endNs - startNs;
    this.selectionLabel.dataset.durationNs = String(dur);
    if (total === null) {
      delete this.selectionLabel.dataset.total;
      setText(this.selectionLabel, `Selection ${formatDuration(dur)} · counting…`);
      return;
    }
    this.selectionLabel.dataset.total = String(total);
    const s = this.summary;
    const perCpu = cpus.map((c) => `${s ? this.trackLabel(trackIdOf(s, Number(c.name))) : `CPU ${c.name}`}: ${formatCount(c.count)}`).join(', ');
    const top = events
      .slice(0, 3)
      .map((e) => `${e.name} ${formatCount(e.count)}`)
      .join(', ');
    setText(this.selectionLabel, `Selection ${formatDuration(dur)} · ${formatCount(total)} events${perCpu ? ` (${perCpu})` : ''}${top ? ` · ${top}` : ''}`);
    setTitleLines(this.selectionLabel, events.map((e) => `${e.name}: ${formatCount(e.count)}`));
  }

  private showHint(): void {
    this.details.dataset.index = '';
    this.details.replaceChildren(el('span', 'ktl-muted', 'Click an event mark for its details; wheel or +/− zooms, drag or ←/→ pans, drag on the ruler to measure.'));
  }

  private showGap(id: TrackId, g: TraceGapView): void {
    const first = this.summary?.firstTsNs ?? 0;
    this.details.dataset.index = '';
    this.details.dataset.gapLine = String(g.line);
    const what = g.kind === 'lost' ? `[LOST ${g.count === null ? '' : `${g.count} `}EVENTS]` : 'buffer started';
    this.details.replaceChildren(
      el('span', 'ktl-muted', `${formatSeconds(g.tsNs - first, 9)} s · ${this.trackLabel(id)} · line ${g.line} · `),
      el('span', 'ktl-warn', what),
      el('span', 'ktl-muted', g.kind === 'lost' ? ' · this CPU\'s events here are not in the trace; lifecycles crossing it are incomplete' : ' · this CPU\'s earlier events were overwritten'),
    );
  }

  /** A packet mark picked: its line in the details, its link (if any) highlighted, the packet opened in the capture's editor. */
  private showPacket(iface: number, index: number, tsNs: number, protocol: string, open: boolean): void {
    const c = this.captureBar.current;
    const first = this.summary?.firstTsNs ?? 0;
    this.picked = null;
    this.links.pick = { packet: index };
    const link = this.links.highlighted();
    this.details.replaceChildren(
      el('span', 'ktl-muted', `${formatSeconds(tsNs - first, 9)} s · ${c?.name ?? 'capture'} · ${c?.interfaces[iface] ?? `interface ${iface}`} · packet ${index + 1} · `),
      el('span', 'ktl-tl-ev', protocol),
      el('span', 'ktl-muted', link ? ` · the event on CPU ${link.cpu} at ${formatSeconds(link.eventTsNs - first, 9)} s (${formatDuration(Math.abs(link.packetTsNs - link.eventTsNs))} apart)` : ''),
    );
    this.details.dataset.packet = String(index + 1);
    this.details.dataset.index = '';
    this.schedule();
    if (open) this.host.post({ type: 'openCapturePacket', index });
  }

  private showEvent(row: EventRow): void {
    delete this.details.dataset.packet;
    delete this.details.dataset.gapLine;
    this.picked = row;
    // The packet this event is (when a capture is attached and linked) is highlighted with it.
    this.links.pick = { event: row.index };
    const first = this.summary?.firstTsNs ?? 0;
    this.details.dataset.index = String(row.index);
    delete this.details.dataset.slice;
    const name = el('span', `ktl-ev-c${colourOf(row.event)} ktl-tl-ev`, row.event);
    const where = positionLabel(this.summary?.lineKind ?? 'line', row.line);
    this.details.replaceChildren(
      el('span', 'ktl-muted', [formatSeconds(row.tsNs - first, 9) + ' s', eventPlace(this.summary, row.cpu), where].filter((x) => x !== null).join(' · ') + ' · '),
      el('span', '', `${formatTask(row.comm, row.pid)} `),
      name,
      el('span', 'ktl-tl-text', ` ${row.text}`),
    );
    setTitle(this.details, row.text);
    this.schedule();
  }

  // --- input ---------------------------------------------------------------------------

  private onZoom(): void {
    this.scale.setTransform(this.currentTransform());
    this.placeBrush();
    this.schedule();
    this.request();
    this.notifyView();
  }

  zoomBy(k: number): void {
    select(this.canvas).call(this.zoom.scaleBy, k);
  }

  resetZoom(): void {
    select(this.canvas).call(this.zoom.transform, zoomIdentity);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const t = this.currentTransform();
    switch (e.key) {
      case '+':
      case '=':
        this.zoomBy(KEY_ZOOM);
        break;
      case '-':
      case '_':
        this.zoomBy(1 / KEY_ZOOM);
        break;
      case 'ArrowLeft':
        select(this.canvas).call(this.zoom.translateBy, (this.scale.width * KEY_PAN) / t.k, 0);
        break;
      case 'ArrowRight':
        select(this.canvas).call(this.zoom.translateBy, (-this.scale.width * KEY_PAN) / t.k, 0);
        break;
      case '0':
        this.resetZoom();
        break;
      case 'Escape':
        this.clearSelection();
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /**
   * Zooms to the events matching the table's filter (all events without a filter): asks for
   * the whole trace at the plot's resolution and fits the first to the last non-empty bucket.
   * Also what "Show Events for This Line" should call after it set the filter.
   */
  fitToMatches(): void {
    if (!this.summary || this.scale.width <= 1) return;
    const f = this.host.filter();
    if (!(f.events?.length || f.cpus?.length || f.task || f.text || f.timeRange)) {
      this.resetZoom();
      return;
    }
    const startNs = this.summary.firstTsNs;
    const endNs = startNs + this.summary.durationNs + 1;
    this.fitRequest.send({ type: 'timeline', startNs, endNs, resolution: Math.max(1, Math.min(MAX_TIMELINE_RESOLUTION, Math.round(this.scale.width))), cpus: null, filter: f }, (msg) => {
      if (isTimelineData(msg.data)) this.fitTo(msg.data);
    });
  }

  private fitTo(data: TimelineData): void {
    let first = Infinity;
    let last = -1;
    for (const t of data.tracks) {
      for (let k = 0; k < t.counts.length; k++) {
        if ((t.counts[k] as number) === 0) continue;
        first = Math.min(first, k);
        last = Math.max(last, k);
      }
    }
    if (last < 0) {
      setText(this.details, 'No events match the filter.');
      return;
    }
    const bucketNs = (data.endNs - data.startNs) / data.resolution;
    const a = data.startNs + first * bucketNs;
    const b = data.startNs + (last + 1) * bucketNs;
    const pad = Math.max((b - a) * 0.05, bucketNs);
    this.zoomTo(Math.max(data.startNs, a - pad), Math.min(data.endNs, b + pad));
  }

  private onClick(e: MouseEvent, openLine: boolean): void {
    const rect = this.canvas.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    this.canvas.focus({ preventScroll: true });
    const placed = this.tracks.find((t) => y >= t.top - TRACK_GAP_PX / 2 && y < t.top + this.trackPx - TRACK_GAP_PX / 2);
    const track = placed?.track;
    const d = track?.current;
    if (!placed || !track || !d) return;
    const ev = d.track.events;
    // A lost-events mark wins over the events beside it: it says why they may be wrong.
    const gap = track.gapAt(this.scale, x, HIT_PX);
    if (gap) {
      this.showGap(track.id, gap);
      return;
    }
    // The nearest listed event within HIT_PX.
    const best = track.nearestEvent(this.scale, x, HIT_PX);
    if (ev && best >= 0) {
      if (track.id.kind === 'attached') {
        // A packet of the attached capture: not an event of this trace, so no table row to select.
        // Opened in the capture's editor once per click: not again for a double-click's second click.
        this.showPacket(track.id.id, ev.index[best] as number, ev.tsNs[best] as number, d.data.names[ev.name[best] as number] ?? '', !openLine && e.detail <= 1);
        return;
      }
      this.requestEvent(ev.index[best] as number, { kind: 'click', openLine });
      return;
    }
    // A task slice under the pointer: who ran, for how long.
    const slice = y < placed.top + SLICE_PX ? track.sliceAt(this.scale.toNs(x)) : null;
    if (slice) {
      const first = this.summary?.firstTsNs ?? 0;
      const who = formatTask(slice.comm, slice.pid);
      this.details.dataset.index = '';
      this.details.dataset.slice = who;
      this.details.replaceChildren(
        el('span', 'ktl-muted', `${this.trackLabel(track.id)} · `),
        el('span', '', who),
        el('span', 'ktl-muted', ` ran ${formatDuration(slice.endNs - slice.startNs)} · ${formatSeconds(slice.startNs - first, 9)} s – ${formatSeconds(slice.endNs - first, 9)} s (sched_switch)`),
      );
      return;
    }
    // Aggregated (or nothing near): say what is under the pointer.
    const bucket = ev ? null : track.bucketAt(this.scale, x);
    if (bucket) {
      this.details.dataset.index = '';
      this.details.replaceChildren(
        el('span', 'ktl-muted', `${this.trackLabel(track.id)} · ${formatCount(bucket.count)} events in ${formatDuration(bucket.bucketNs)}, mostly `),
        el('span', `ktl-ev-c${colourOf(bucket.dominant)}`, bucket.dominant),
        el('span', 'ktl-muted', ' · zoom in to pick single events'),
      );
    }
  }
}

function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', 'ktl-tl-button', label);
  b.type = 'button';
  setTitle(b, title);
  b.setAttribute('aria-label', title);
  b.addEventListener('click', onClick);
  return b;
}
