/**
 * The Lifecycles view: pick a model (built-ins and the workspace's .vscode/kernel-trace.json,
 * whose problems are listed with their JSON paths), one lane per object with its state
 * segments on a canvas over the timeline's visible range (the two share time: zooming the
 * timeline zooms the lanes), findings marked on their lanes and listed, and a finding's
 * "flight recorder": the events just before it on every CPU, one column per CPU.
 *
 * Data: the worker analyses; this view asks for the model's summary (counts, findings) once,
 * then for the window of lanes on screen over the visible range (never all objects). Lanes are
 * virtualized like the event table (virtual-scroll.ts). At most one lanes request is in
 * flight; a change meanwhile sends one more when it lands.
 *
 * Input: click a finding = select it, open its flight recorder and its line (and source line);
 * ↑/↓ in the findings list move between findings (flight recorder follows), Enter opens the
 * line. In the lanes: ↑/↓ move between lanes, ←/→ to the previous/next finding, Enter opens
 * the selected finding (or the lane's first step in view). Click a segment: open its step.
 * Trace text (keys, comms, messages) is set with textContent or drawn on the canvas.
 */
import { select, type Selection } from 'd3-selection';
import type { EventRow, LifecycleFinding, LifecycleLanes, LifecycleModelInfo, LifecycleSummary, ModelProblem } from '../src/protocol/messages';
import { LANE_LOST_TEXT, MAX_LIFECYCLE_LANES, MAX_TIMELINE_RESOLUTION } from '../src/protocol/messages';
import { el, setText, setTitle } from './dom';
import { formatCount, formatSeconds, formatTask } from './format';
import { listboxStep } from './list-keys';
import { isFlightColumns, isLifecycleLanes, isLifecycleSummary, isModelList, isProblemList } from './lifecycle-data';
import { TimeScale } from './timeline-scale';
import { drawTimeAxis } from './tracks/axis';
import { EVENT_COLOURS, type ThemeColours } from './tracks/colours';
import { LANE_PX, LifecycleLanesTrack } from './tracks/lifecycle-lanes';
import { contentPx, firstRowFromScrollTop, scrollTopFromFirstRow, type Geometry } from './virtual-scroll';
import { Latest, OneInFlight, type RequestBody, type Rpc } from './rpc';
/** Layout, CSS px. */
const LABEL_PX = 170;
/** Narrow views: the labels take at most this share of the lanes' width, and at least MIN_LABEL_PX (keys are cut with an ellipsis, the full key is the title). */
const LABEL_SHARE = 0.3;
const MIN_LABEL_PX = 80;

/** Lane label width (CSS px) for lanes `widthPx` wide: 170 px, less when the view is narrow so the lanes keep most of it. */
export function laneLabelPx(widthPx: number): number {
  return Math.round(Math.min(LABEL_PX, Math.max(MIN_LABEL_PX, widthPx * LABEL_SHARE)));
}
const AXIS_PX = 20;
/** Pointer distance within which a click picks a finding marker. */
const HIT_PX = 5;
/** Events per CPU in the flight recorder. */
export const FLIGHT_PER_CPU = 10;

export interface LifecycleHost {
  readonly rpc: Rpc;
  /** The theme's colours, shared with the timeline. */
  readonly colours: ThemeColours;
  /** The timeline's visible range (RelNs): lanes show the same time. */
  range(): [number, number];
  /** Trace origin for times shown as seconds since the first event. */
  firstTsNs(): number;
  /** Open an event's line in the trace text (and its source line when mapped). */
  reveal(line: number, event: string): void;
  /** Bring event `index` at `tsNs` into the timeline's view. */
  showOnTimeline(tsNs: number): void;
  /** The picked model, for the saved state. */
  modelChanged(id: string): void;
}

export class LifecycleView {
  readonly element = el('section', 'ktl-lc');
  private readonly modelSelect = el('select', 'ktl-lc-model');
  private readonly status = el('span', 'ktl-lc-status');
  private readonly legend = el('span', 'ktl-lc-legend');
  private readonly problems = el('div', 'ktl-lc-problems');
  private readonly lanesBox = el('div', 'ktl-lc-lanes');
  private readonly spacer = el('div', 'ktl-lc-spacer');
  private readonly window = el('div', 'ktl-lc-window');
  private readonly labels = el('div', 'ktl-lc-labels');
  private readonly canvas = el('canvas', 'ktl-lc-canvas');
  private readonly axisSvg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly axisG: Selection<SVGGElement, unknown, null, undefined>;
  private readonly details = el('div', 'ktl-lc-details');
  private readonly findingsList = el('div', 'ktl-lc-findings');
  private readonly flight = el('div', 'ktl-lc-flight');
  private readonly track = new LifecycleLanesTrack();

  private readonly modelsRequest: Latest<'lifecycleModels'>;
  private readonly summaryRequest: Latest<'lifecycle'>;
  private readonly lanesRequest: OneInFlight<'lifecycleLanes'>;
  private readonly flightRequest: Latest<'flightRecorder'>;
  private started = false;
  private models: readonly LifecycleModelInfo[] = [];
  private model: string | null = null;
  private summary: LifecycleSummary | null = null;
  private lanes: LifecycleLanes | null = null;
  private firstLane = 0;
  private selectedLane: number | null = null;
  private selectedFinding: number | null = null;
  private frame = 0;

  constructor(
    private readonly host: LifecycleHost,
    private preferredModel: string | undefined,
  ) {
    this.modelsRequest = new Latest(host.rpc);
    this.summaryRequest = new Latest(host.rpc);
    this.flightRequest = new Latest(host.rpc);
    this.lanesRequest = new OneInFlight(
      host.rpc,
      () => this.lanesBody(),
      (msg) => {
        if (this.summary && msg.lanes.model === this.summary.model && isLifecycleLanes(msg.lanes, this.summary.states.length)) this.lanes = msg.lanes;
        this.schedule();
      },
    );
    this.element.id = 'lifecycles';
    this.element.setAttribute('aria-label', 'Lifecycles');
    const bar = el('div', 'ktl-lc-bar');
    const label = el('label', 'ktl-lc-model-label', 'Model ');
    this.modelSelect.id = 'lc-model';
    this.modelSelect.setAttribute('aria-label', 'Lifecycle model');
    label.append(this.modelSelect);
    this.status.id = 'lc-status';
    this.status.setAttribute('aria-live', 'polite');
    this.legend.id = 'lc-legend';
    bar.append(el('span', 'ktl-tl-title', 'Lifecycles'), label, this.status, el('span', 'ktl-spacer'), this.legend);
    this.problems.id = 'lc-problems';
    this.problems.setAttribute('role', 'alert');
    this.problems.hidden = true;

    this.lanesBox.id = 'lc-lanes';
    this.lanesBox.tabIndex = 0;
    this.lanesBox.setAttribute('role', 'listbox');
    this.lanesBox.setAttribute('aria-label', 'Objects, one lane each: ↑/↓ lanes, ←/→ findings, Enter opens');
    this.canvas.id = 'lc-canvas';
    const svgEl = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svgEl.classList.add('ktl-lc-axis');
    this.axisSvg = select(svgEl);
    // The timeline's axis styles (style.css .ktl-tl-axis).
    this.axisG = this.axisSvg.append('g').attr('class', 'ktl-tl-axis').attr('transform', `translate(0,${AXIS_PX - 1})`);
    const plot = el('div', 'ktl-lc-plot');
    plot.append(svgEl, this.canvas);
    this.window.append(this.labels, plot);
    this.lanesBox.append(this.spacer, this.window);
    this.details.id = 'lc-details';

    this.findingsList.id = 'lc-findings';
    this.findingsList.tabIndex = 0;
    this.findingsList.setAttribute('role', 'listbox');
    this.findingsList.setAttribute('aria-label', 'Findings: ↑/↓ select (flight recorder), Enter opens the line');
    this.flight.id = 'lc-flight';
    this.flight.setAttribute('aria-live', 'polite');

    const body = el('div', 'ktl-lc-body');
    const left = el('div', 'ktl-lc-left');
    left.append(this.lanesBox, this.details);
    body.append(left, this.findingsList);
    this.element.append(bar, this.problems, body, this.flight);
    this.showFlightHint();

    this.modelSelect.addEventListener('change', () => this.pick(this.modelSelect.value));
    this.lanesBox.addEventListener('scroll', () => this.onScroll());
    this.lanesBox.addEventListener('keydown', (e) => this.onLanesKey(e));
    this.canvas.addEventListener('click', (e) => this.onCanvasClick(e));
    this.labels.addEventListener('click', (e) => {
      const lane = Number((e.target as Element | null)?.closest<HTMLElement>('.ktl-lc-label')?.dataset.lane);
      if (Number.isSafeInteger(lane)) this.selectLane(lane);
    });
    this.findingsList.addEventListener('click', (e) => {
      const k = Number((e.target as Element | null)?.closest<HTMLElement>('.ktl-lc-finding')?.dataset.finding);
      if (!Number.isSafeInteger(k)) return;
      this.selectFinding(k);
      this.openFinding();
    });
    this.findingsList.addEventListener('keydown', (e) => this.onFindingsKey(e));
    this.flight.addEventListener('click', (e) => {
      const r = (e.target as Element | null)?.closest<HTMLElement>('.ktl-lc-frow');
      const line = Number(r?.dataset.line);
      if (r && Number.isSafeInteger(line) && r.dataset.event !== undefined) this.host.reveal(line, r.dataset.event);
    });
    new ResizeObserver(() => this.onResize()).observe(this.lanesBox);
    host.colours.onChange(() => this.schedule());
  }

  /** The view became visible: load the model list the first time. */
  show(): void {
    if (!this.started) {
      this.started = true;
      this.modelsRequest.send(
        { type: 'lifecycleModels' },
        (msg) => {
          if (isModelList(msg.models) && isProblemList(msg.problems)) this.setModels(msg.models, msg.configPath, msg.problems);
        },
        (message) => this.showError(message),
      );
      setText(this.status, 'Loading models…');
    }
    this.onResize();
  }

  /** The timeline's visible range changed: the lanes follow it. */
  rangeChanged(): void {
    if (this.summary && this.element.offsetParent !== null) this.requestLanes();
  }

  /** A models or summary request failed: the status line says why. */
  private showError(message: string): void {
    this.status.setAttribute('role', 'alert');
    setText(this.status, message);
    this.status.classList.add('ktl-error-text');
  }

  // --- models and summary ------------------------------------------------------------------

  private setModels(models: readonly LifecycleModelInfo[], configPath: string | null, problems: readonly ModelProblem[]): void {
    this.models = models;
    this.modelSelect.replaceChildren(
      ...models.map((m) => {
        const o = el('option', '', m.source === 'workspace' ? `${m.name} (workspace)` : m.name);
        o.value = m.id;
        setTitle(o, m.description);
        return o;
      }),
    );
    if (problems.length > 0) {
      this.problems.hidden = false;
      const list = el('ul', 'ktl-lc-problem-list');
      for (const p of problems) {
        const li = el('li', 'ktl-lc-problem');
        li.append(el('code', '', p.path), el('span', '', `: ${p.message}`));
        list.append(li);
      }
      this.problems.replaceChildren(el('div', 'ktl-error-text', `${configPath ?? '.vscode/kernel-trace.json'}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; its models are not available until they are fixed.`), list);
    } else {
      this.problems.hidden = true;
      this.problems.replaceChildren();
    }
    const wanted = models.find((m) => m.id === this.preferredModel) ?? models[0];
    if (wanted) this.pick(wanted.id);
    else setText(this.status, 'No lifecycle models.');
  }

  private pick(id: string): void {
    if (!this.models.some((m) => m.id === id)) return;
    this.modelSelect.value = id;
    this.model = id;
    this.preferredModel = id;
    this.host.modelChanged(id);
    this.summary = null;
    this.lanes = null;
    this.selectedFinding = null;
    this.selectedLane = null;
    this.findingsList.replaceChildren();
    this.showFlightHint();
    this.status.removeAttribute('role');
    this.status.classList.remove('ktl-error-text');
    setText(this.status, 'Analysing…');
    this.summaryRequest.send(
      { type: 'lifecycle', model: id },
      (msg) => {
        if (isLifecycleSummary(msg.summary)) this.setSummary(msg.summary);
      },
      (message) => this.showError(message),
    );
  }

  private setSummary(s: LifecycleSummary): void {
    this.summary = s;
    this.firstLane = 0;
    this.lanesBox.scrollTop = 0;
    this.status.dataset.objects = String(s.objects);
    this.status.dataset.findings = String(s.findingTotal);
    setText(
      this.status,
      `${formatCount(s.objects)} object${s.objects === 1 ? '' : 's'} · ${formatCount(s.steps)} steps · ${formatCount(s.findingTotal)} finding${s.findingTotal === 1 ? '' : 's'}${s.findings.length < s.findingTotal ? ` (first ${formatCount(s.findings.length)} listed)` : ''}`,
    );
    this.legend.replaceChildren(
      ...s.states.map((name, k) => {
        const chip = el('span', 'ktl-lc-chip');
        chip.dataset.colour = String(k % EVENT_COLOURS);
        chip.append(el('span', `ktl-lc-swatch ktl-ev-c${k % EVENT_COLOURS}`), el('span', '', name));
        return chip;
      }),
    );
    if (s.findings.some((f) => f.kind === 'events-lost')) {
      const chip = el('span', 'ktl-lc-chip ktl-lc-lost-chip');
      setTitle(chip, 'The object was on a CPU when it lost events: where it went next is not in the trace');
      chip.append(el('span', 'ktl-lc-swatch ktl-lc-lost-swatch'), el('span', '', LANE_LOST_TEXT));
      this.legend.append(chip);
    }
    this.renderFindings();
    this.onResize();
    if (s.objects === 0) setText(this.details, 'No event of this trace maps to the model.');
    else setText(this.details, 'Click a lane segment to open its step; a finding opens its flight recorder.');
  }

  private renderFindings(): void {
    const s = this.summary;
    if (!s) return;
    const head = el('div', 'ktl-lc-finding ktl-lc-fhead');
    head.setAttribute('aria-hidden', 'true');
    for (const t of ['kind', 'key', 'time (s)', 'CPU', 'line', 'message']) head.append(el('span', '', t));
    const rows = s.findings.map((f, k) => {
      const r = el('div', 'ktl-lc-finding');
      r.id = `lc-finding-${k}`;
      r.dataset.finding = String(k);
      r.dataset.kind = f.kind;
      r.dataset.line = String(f.line);
      r.setAttribute('role', 'option');
      r.setAttribute('aria-selected', 'false');
      r.append(
        el('span', 'ktl-lc-kind', f.kind),
        el('span', 'ktl-lc-key', f.key),
        el('span', 'ktl-lc-num', formatSeconds(f.tsNs - this.host.firstTsNs(), 9)),
        el('span', 'ktl-lc-num', String(f.cpu)),
        el('span', 'ktl-lc-num', String(f.line)),
        el('span', 'ktl-lc-msg', f.message),
      );
      setTitle(r, f.message);
      return r;
    });
    this.findingsList.replaceChildren(head, ...(rows.length > 0 ? rows : [el('div', 'ktl-muted ktl-lc-none', 'No findings.')]));
  }

  // --- findings and the flight recorder ------------------------------------------------------

  private finding(k: number | null): LifecycleFinding | undefined {
    return k === null ? undefined : this.summary?.findings[k];
  }

  /** Selects finding `k`: marks it, scrolls its lane into view, asks for its flight recorder. */
  private selectFinding(k: number): void {
    const f = this.finding(k);
    if (!f) return;
    this.selectedFinding = k;
    for (const r of this.findingsList.querySelectorAll<HTMLElement>('.ktl-lc-finding[aria-selected="true"]')) r.setAttribute('aria-selected', 'false');
    const row = this.findingsList.querySelector<HTMLElement>(`#lc-finding-${k}`);
    row?.setAttribute('aria-selected', 'true');
    row?.scrollIntoView({ block: 'nearest' });
    this.findingsList.setAttribute('aria-activedescendant', `lc-finding-${k}`);
    if (f.lane >= 0) this.selectLane(f.lane, false);
    const [a, b] = this.host.range();
    if (f.tsNs < a || f.tsNs >= b) this.host.showOnTimeline(f.tsNs);
    this.flightRequest.send(
      { type: 'flightRecorder', index: f.index, perCpu: FLIGHT_PER_CPU },
      (msg) => {
        if (isFlightColumns(msg.columns)) this.showFlight(msg.index, msg.columns);
      },
      (message) => this.flight.replaceChildren(el('span', 'ktl-error-text', message)),
    );
    this.schedule();
  }

  /** Opens the selected finding's event in the editor (and its source line when mapped). */
  private openFinding(): void {
    const f = this.finding(this.selectedFinding);
    if (f) this.host.reveal(f.line, f.event);
  }

  private showFlightHint(): void {
    this.flight.dataset.index = '';
    this.flight.replaceChildren(el('span', 'ktl-muted', 'Select a finding to see its flight recorder: the events just before it on every CPU.'));
  }

  private showFlight(index: number, columns: readonly { cpu: number; rows: readonly EventRow[] }[]): void {
    const f = this.finding(this.selectedFinding);
    this.flight.dataset.index = String(index);
    const title = el('div', 'ktl-lc-flight-title', `Flight recorder: the last ${FLIGHT_PER_CPU} events on every CPU up to line ${f?.line ?? '?'}${f ? ` (${f.kind} ${f.key})` : ''}`);
    const grid = el('div', 'ktl-lc-flight-cols');
    grid.style.setProperty('--cols', String(Math.max(1, columns.length)));
    const first = this.host.firstTsNs();
    for (const c of columns) {
      const col = el('div', 'ktl-lc-fcol');
      col.dataset.cpu = String(c.cpu);
      col.append(el('div', 'ktl-lc-fcol-head', `CPU ${c.cpu}${c.rows.length === 0 ? ' (no events before)' : ''}`));
      for (const r of c.rows) {
        const row = el('div', `ktl-lc-frow${r.index === index ? ' ktl-lc-at' : ''}`);
        row.dataset.index = String(r.index);
        row.dataset.line = String(r.line);
        row.dataset.event = r.event;
        setTitle(row, `line ${r.line}: ${r.text}`);
        row.append(el('span', 'ktl-lc-num', formatSeconds(r.tsNs - first, 6)), el('span', 'ktl-lc-ftask', formatTask(r.comm, r.pid)), el('span', 'ktl-lc-fev', r.event), el('span', 'ktl-lc-ftext', r.text));
        col.append(row);
      }
      grid.append(col);
    }
    this.flight.replaceChildren(title, grid);
  }

  private onFindingsKey(e: KeyboardEvent): void {
    const n = this.summary?.findings.length ?? 0;
    if (n === 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const next = listboxStep(e.key, this.selectedFinding, n);
    if (next !== null) this.selectFinding(next);
    else if (e.key === 'Enter') {
      if (this.selectedFinding === null) this.selectFinding(0);
      this.openFinding();
    } else return;
    e.preventDefault();
  }

  // --- lanes ---------------------------------------------------------------------------------

  private geometry(): Geometry {
    return { total: this.summary?.objects ?? 0, rowPx: LANE_PX, viewportPx: Math.max(0, this.lanesBox.clientHeight - AXIS_PX) };
  }

  private visibleLanes(): number {
    return Math.min(MAX_LIFECYCLE_LANES, Math.ceil(this.geometry().viewportPx / LANE_PX) + 1);
  }

  private onResize(): void {
    const g = this.geometry();
    this.spacer.style.height = `${contentPx(g) + AXIS_PX}px`;
    this.labels.style.width = `${laneLabelPx(this.lanesBox.clientWidth)}px`;
    const w = this.canvasWidth();
    const h = Math.max(LANE_PX, g.viewportPx);
    const dpr = window.devicePixelRatio || 1;
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.axisSvg.attr('width', w).attr('height', AXIS_PX);
    this.window.style.height = `${h + AXIS_PX}px`;
    if (this.summary) this.requestLanes();
  }

  private onScroll(): void {
    const first = Math.floor(firstRowFromScrollTop(this.lanesBox.scrollTop, this.geometry()));
    if (first === this.firstLane) return;
    this.firstLane = first;
    this.schedule();
    this.requestLanes();
  }

  private requestLanes(): void {
    const s = this.summary;
    if (!s || !this.model || s.objects === 0) {
      this.schedule();
      return;
    }
    this.lanesRequest.ask();
  }

  /** The window of lanes on screen over the timeline's range, when there is one to ask for. */
  private lanesBody(): RequestBody<'lifecycleLanes'> | null {
    const [startNs, endNs] = this.host.range();
    if (!this.summary || !this.model || this.summary.objects === 0 || !(endNs > startNs)) return null;
    const resolution = Math.max(1, Math.min(MAX_TIMELINE_RESOLUTION, Math.round(this.canvasWidth())));
    return { type: 'lifecycleLanes', model: this.model, first: this.firstLane, count: this.visibleLanes(), startNs, endNs, resolution };
  }

  private canvasWidth(): number {
    return Math.max(1, this.lanesBox.clientWidth - laneLabelPx(this.lanesBox.clientWidth));
  }

  /** Selects lane `lane` and scrolls it into view. */
  private selectLane(lane: number, focus = true): void {
    const s = this.summary;
    if (!s || lane < 0 || lane >= s.objects) return;
    this.selectedLane = lane;
    const g = this.geometry();
    const rows = g.viewportPx / LANE_PX;
    let first = this.firstLane;
    if (lane < first) first = lane;
    else if (lane + 1 > first + rows) first = Math.ceil(lane + 1 - rows);
    if (first !== this.firstLane) {
      this.firstLane = Math.max(0, first);
      this.lanesBox.scrollTop = scrollTopFromFirstRow(this.firstLane, g);
      this.requestLanes();
    }
    this.lanesBox.dataset.selectedLane = String(lane);
    if (focus) this.lanesBox.focus({ preventScroll: true });
    this.schedule();
  }

  private onLanesKey(e: KeyboardEvent): void {
    const s = this.summary;
    if (!s || e.altKey || e.ctrlKey || e.metaKey) return;
    const lane = this.selectedLane;
    switch (e.key) {
      case 'ArrowDown':
        this.selectLane(lane === null ? this.firstLane : Math.min(s.objects - 1, lane + 1));
        break;
      case 'ArrowUp':
        this.selectLane(lane === null ? this.firstLane : Math.max(0, lane - 1));
        break;
      case 'ArrowRight':
      case 'ArrowLeft': {
        // The next (previous) finding in trace order; the list is in trace order.
        const n = s.findings.length;
        if (n === 0) break;
        const cur = this.selectedFinding;
        const k = cur === null ? (e.key === 'ArrowRight' ? 0 : n - 1) : e.key === 'ArrowRight' ? Math.min(n - 1, cur + 1) : Math.max(0, cur - 1);
        this.selectFinding(k);
        this.lanesBox.focus({ preventScroll: true });
        break;
      }
      case 'Enter': {
        const f = this.finding(this.selectedFinding);
        if (f && (f.lane === lane || lane === null)) this.openFinding();
        else if (lane !== null) this.openFirstStepOf(lane);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  /** Opens the first step in view of `lane` (the lane's object as the trace shows it now). */
  private openFirstStepOf(lane: number): void {
    const d = this.lanes;
    const step = d ? this.track.stepAt(this.scaleFor(d), lane, null) : null;
    if (step) this.host.reveal(step.line, step.event);
  }

  private onCanvasClick(e: MouseEvent): void {
    const d = this.lanes;
    const s = this.summary;
    if (!d || !s) return;
    const rect = this.canvas.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const lane = this.firstLane + Math.floor(y / LANE_PX);
    if (lane >= s.objects) return;
    this.selectLane(lane);
    this.syncTrack(s);
    const scale = this.scaleFor(d);
    // A finding marker near the pointer on this lane.
    const best = this.track.findingAt(scale, lane, x, HIT_PX);
    if (best >= 0) {
      this.selectFinding(best);
      this.openFinding();
      return;
    }
    // Else the segment under the pointer: open its step.
    const step = this.track.stepAt(scale, lane, x);
    if (!step) return;
    this.details.dataset.index = String(step.index);
    setText(this.details, `${step.key} ${step.state} from ${formatSeconds(step.startNs - this.host.firstTsNs(), 9)} s · ${step.event} · line ${step.line}`);
    this.host.reveal(step.line, step.event);
  }

  /** Gives the lanes track what is on screen now; returns the number of lanes on the canvas. */
  private syncTrack(s: LifecycleSummary): number {
    const rows = Math.min(s.objects - this.firstLane, Math.ceil(this.geometry().viewportPx / LANE_PX) + 1);
    this.track.state = { summary: s, lanes: this.lanes, firstLane: this.firstLane, rows, selectedLane: this.selectedLane, selectedFinding: this.selectedFinding };
    return rows;
  }

  /** The lanes' time across the canvas: the range of the lanes shown (the timeline's, once they arrive). */
  private scaleFor(d: { startNs: number; endNs: number }): TimeScale {
    return TimeScale.across(d.startNs, d.endNs, this.canvasWidth());
  }

  // --- drawing -------------------------------------------------------------------------------

  private schedule(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const s = this.summary;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const colours = this.host.colours.get();
    const w = this.canvasWidth();
    const h = this.geometry().viewportPx;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, Math.max(h, LANE_PX));
    const [a, b] = this.lanes ? [this.lanes.startNs, this.lanes.endNs] : this.host.range();
    const scale = this.scaleFor({ startNs: a, endNs: b });
    drawTimeAxis(this.axisG, scale, this.host.firstTsNs());
    if (!s) return;
    const rows = this.syncTrack(s);
    // Labels: one DOM row per visible lane (keys are trace text: textContent only).
    const d = this.lanes;
    const labels: HTMLElement[] = [];
    for (let r = 0; r < rows; r++) {
      const lane = this.firstLane + r;
      const info = d && lane >= d.first && lane < d.first + d.lanes.length ? d.lanes[lane - d.first] : undefined;
      const l = el('div', `ktl-lc-label${lane === this.selectedLane ? ' ktl-selected' : ''}`, info ? `${info.key}${info.generation > 0 ? ` #${info.generation}` : ''}` : '…');
      l.dataset.lane = String(lane);
      l.id = `lc-lane-${lane}`;
      l.setAttribute('role', 'option');
      l.setAttribute('aria-selected', String(lane === this.selectedLane));
      if (info) setTitle(l, `${info.key}: ${info.steps} steps, ends ${info.lost ? LANE_LOST_TEXT : (s.states[info.state] ?? '?')}, CPUs ${info.cpus.join(', ')}`);
      if (info?.lost) l.dataset.lost = 'true';
      l.style.height = `${LANE_PX}px`;
      labels.push(l);
    }
    this.labels.replaceChildren(...labels);
    this.labels.style.paddingTop = `${AXIS_PX}px`;
    if (this.selectedLane !== null) this.lanesBox.setAttribute('aria-activedescendant', `lc-lane-${this.selectedLane}`);

    this.track.render({ ctx, scale, colours, top: 0, size: { width: w, height: Math.max(h, LANE_PX) } });
    if (!d) return;
    this.canvas.dataset.drawn = `${d.first}:${d.startNs}:${d.endNs}`;
  }
}
