/**
 * The event table: one row per event of the filtered list, virtualized.
 *
 * Fixed row height; only the rows in view (plus one) exist in the DOM, recycled from a
 * small pool of row elements. Rows are fetched from the host a page at a time (row-cache.ts)
 * and the scroll space is scaled when the list is taller than a browser allows
 * (virtual-scroll.ts), so 10 M events scroll like 100. The first visible row, a float, is
 * the source of truth for the position; scrollTop is derived from it.
 *
 * Keyboard: Up/Down/PageUp/PageDown/Home/End move the selection, Enter (or a double-click)
 * reveals the event's line in the text editor. Every trace string goes in with textContent.
 * A capture's table has Wireshark's packet-list columns instead (packet-columns.ts).
 */
import type { EventFilter, EventRow, RowSort, SortColumn, TraceSummary } from '../src/protocol/messages';
import { fillPacketCells, packetDetails, PACKET_COLUMNS, timeModeSelect, type TableColumn } from './packet-columns';
import type { TimeMode } from './packet-time';
import { el, elLines, setText, setTitle } from './dom';
import { dragGrip } from './drag-grip';
import { formatAbsoluteCount, formatAbsoluteSeconds, formatTimeOfDay, formatCount, formatDelta, formatSeconds, formatTask, positionLabel } from './format';
import { PAGE_ROWS, RowCache, type RowsReply } from './row-cache';
import type { Rpc } from './rpc';
import { colourOf } from './tracks/colours';
import {
  clampFirstRow,
  contentPx,
  firstRowFromScrollTop,
  fullRowsInView,
  isScaled,
  scrollTopFromFirstRow,
  type Geometry,
} from './virtual-scroll';

/** Row height, CSS px. Dense like the editor (VS Code's lists use 22 px). */
export const ROW_PX = 20;

/** Rows fetched beyond each edge of the viewport, so short scrolls never show gaps. */
const PREFETCH_ROWS = PAGE_ROWS / 2;

/** Events that carry user text (trace_marker writes): drawn so they stand out. */
const MARKER_EVENTS = new Set(['tracing_mark_write', 'print', 'bputs', 'bprint']);

const COLUMNS: readonly TableColumn[] = [
  { cls: 'c-time', label: 'Time (s)', title: 'Seconds since the first event (hover a cell: absolute timestamp as in the file)', sort: 'ts' },
  { cls: 'c-delta', label: 'Δ', title: 'Time since the previous row of this (filtered) list' },
  { cls: 'c-cpu', label: 'CPU', title: 'CPU the event was recorded on', sort: 'cpu' },
  { cls: 'c-task', label: 'Task-PID', title: 'comm-pid of the running task', sort: 'comm' },
  { cls: 'c-tgid', label: 'TGID', title: 'Thread group id (record-tgid)' },
  { cls: 'c-flags', label: 'Flags', title: 'irqs-off / need-resched / hardirq-softirq / preempt-depth / migrate-disable' },
  { cls: 'c-event', label: 'Event', title: 'Event (tracepoint, probe or function)', sort: 'event' },
  { cls: 'c-text', label: 'Fields', title: 'The event text as written in the trace' },
];

interface Slot {
  readonly row: HTMLElement;
  readonly cells: readonly HTMLElement[];
  /** What the slot shows now ("generation:position:loaded"), to skip unchanged rows. */
  key: string;
}

export interface TableHost {
  readonly rpc: Rpc;
  /** Open the event's line in the trace text (and its source line, when mapped). */
  revealLine(line: number, event?: string): void;
  /** Position or selection changed (for persisted state). */
  viewChanged(firstRow: number, selected: number | null): void;
  /** The filtered total became known (or unknown again after a filter change). */
  totalChanged(total: number | null): void;
  /** The selected row, once loaded (null: no selection); may repeat the same row. */
  selectedRow?(row: EventRow | null): void;
  /** The user resized a column or the details pane (CSS px), or chose a capture time format, to keep per editor. */
  layoutChanged?(layout: { columns: Record<string, number>; detailsPx: number | null; timeMode: TimeMode }): void;
}

/** Narrowest a column can be dragged to (CSS px): a few characters and the cell padding. */
const MIN_COLUMN_PX = 24;
const MAX_COLUMN_PX = 2000;
/** The details pane under the table: at least this tall when resized, and the table keeps this much. */
const MIN_DETAILS_PX = 24;
const MIN_TABLE_PX = 60;

export class EventTable {
  readonly element = el('div', 'ktl-table ktl-no-tgid');
  private readonly head = el('div', 'ktl-row ktl-head');
  private readonly viewport = el('div', 'ktl-viewport');
  private readonly layer = el('div', 'ktl-layer');
  private readonly spacer = el('div', 'ktl-spacer-block');
  private readonly overlay = el('div', 'ktl-overlay');
  private readonly details = el('div', 'ktl-details');
  private readonly slots: Slot[] = [];
  private readonly cache: RowCache;

  private firstRow = 0;
  private selected: number | null = null;
  /** scrollTop as last set by us or seen by us; other values come from the user. */
  private knownScrollTop = 0;
  private viewportPx = 0;
  private frame = 0;
  private generation = 0;
  private decimals: 6 | 9 = 6;
  private originNs = '0';
  private counter = false;
  /** The file has no times (timeSource 'none'): time and delta cells stay empty. */
  private untimed = false;
  /** Times are a time of day (strace -tt): absolute times read HH:MM:SS.uuuuuu, as the file wrote them. */
  private timeOfDay = false;
  private lineKind: TraceSummary['lineKind'] = 'line';
  private lastTotal: number | null = null;
  /** The list's order (null: file order) and the filter and known total it was asked with. */
  private sort: RowSort | null = null;
  private filter: EventFilter = {};
  private knownTotal: number | null = null;
  private lastSaved = '';
  /** Column widths the user dragged (CSS px), by column class. */
  private readonly columnWidths = new Map<string, number>();
  private detailsPx: number | null = null;
  /** The columns shown: the trace's, or a capture's packet list (setLineKind('packet')). */
  private columns: readonly TableColumn[] = COLUMNS;
  /** A capture's Time column format (packet-time.ts). */
  private timeMode: TimeMode = 'relative';
  /** Digits the capture's No. column is sized for. */
  private noDigits = 0;
  /** False until the first reset(): no rows are asked for before the summary arrived. */
  private started = false;

  constructor(private readonly host: TableHost) {
    // The cache numbers its pages' requests (ids from the one counter); each reply or error reaches the page that asked.
    this.cache = new RowCache(
      (r) =>
        void host.rpc.send(r).then(
          (reply) => this.onRows(reply),
          (err: unknown) => this.onRequestError(r.requestId, err instanceof Error ? err.message : String(err)),
        ),
      host.rpc.nextId,
    );
    this.element.setAttribute('role', 'grid');
    this.element.setAttribute('aria-label', 'Trace events');
    this.element.style.setProperty('--row-px', `${ROW_PX}px`);

    this.head.setAttribute('role', 'row');
    this.buildHead();

    this.viewport.id = 'event-table';
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'rowgroup');
    this.layer.setAttribute('role', 'presentation');
    this.overlay.setAttribute('aria-live', 'polite');
    this.details.id = 'row-details';
    this.viewport.append(this.layer, this.spacer);
    const detailsGrip = dragGrip({
      className: 'ktl-details-grip',
      label: 'Resize the event details',
      axis: 'y',
      sign: -1,
      start: () => this.details.getBoundingClientRect().height,
      resize: (px) => this.setDetailsHeight(px),
      done: () => this.reportLayout(),
    });
    this.element.append(this.head, this.viewport, this.overlay, detailsGrip, this.details);

    this.viewport.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.viewport.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.layer.addEventListener('click', (e) => this.onClick(e, false));
    this.layer.addEventListener('dblclick', (e) => this.onClick(e, true));
    new ResizeObserver(() => {
      this.viewportPx = this.viewport.clientHeight;
      // The header keeps its columns over the rows' whatever the scrollbar's width (VS Code's
      // 10 px, a browser's 15 px): columns that give way (a capture's addresses) then agree too.
      this.head.style.paddingRight = `${Math.max(0, this.viewport.offsetWidth - this.viewport.clientWidth)}px`;
      this.layer.style.height = `${this.viewportPx}px`;
      this.schedule();
    }).observe(this.viewport);
  }

  /** The header row of the current columns; a capture's Time header holds its format picker. */
  private buildHead(): void {
    const last = this.columns[this.columns.length - 1];
    this.head.replaceChildren();
    for (const c of this.columns) {
      const h = el('div', `ktl-cell ${c.cls}`, c.label);
      h.setAttribute('role', 'columnheader');
      setTitle(h, c.title);
      const key = c.sort;
      if (key) {
        // Sortable: click (or Enter/Space) cycles ascending, descending, file order.
        h.classList.add('ktl-sortable');
        h.tabIndex = 0;
        h.dataset.sort = key;
        setTitle(h, `${c.title}. Click to sort.`);
        h.setAttribute('aria-sort', 'none');
        h.addEventListener('click', () => this.cycleSort(key));
        h.addEventListener('keydown', (e) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          this.cycleSort(key);
        });
      }
      if (this.columns === PACKET_COLUMNS && c.cls === 'c-time') {
        h.replaceChildren(timeModeSelect(this.timeMode, (mode) => this.setTimeMode(mode, true)));
      }
      // Every column but the last (it takes the rest) has a grip on its right edge.
      if (c !== last) {
        h.append(
          dragGrip({
            className: 'ktl-col-grip',
            label: `Resize column ${c.label}`,
            axis: 'x',
            start: () => h.getBoundingClientRect().width,
            resize: (px) => this.setColumnWidth(c.cls, px),
            done: () => this.reportLayout(),
          }),
        );
      }
      this.head.append(h);
    }
  }

  /** A capture's Time column format; `save`: the user chose it (kept per editor). */
  setTimeMode(mode: TimeMode, save = false): void {
    if (mode === this.timeMode) return;
    this.timeMode = mode;
    this.element.dataset.timeMode = mode;
    const select = this.head.querySelector<HTMLSelectElement>('#packet-time-mode');
    if (select && select.value !== mode) select.value = mode;
    for (const s of this.slots) s.key = '';
    if (save) this.reportLayout();
    this.schedule();
  }

  get currentTimeMode(): TimeMode {
    return this.timeMode;
  }

  /** Column `cls` to `px` wide (clamped); returns the width set. */
  setColumnWidth(cls: string, px: number): number {
    const w = Math.round(Math.min(MAX_COLUMN_PX, Math.max(MIN_COLUMN_PX, px)));
    this.columnWidths.set(cls, w);
    this.element.style.setProperty(`--${cls}`, `${w}px`);
    return w;
  }

  /** The details pane `px` tall (clamped so the table keeps a few rows); returns the height set. */
  setDetailsHeight(px: number): number {
    const room = this.element.clientHeight > 0 ? this.element.clientHeight - MIN_TABLE_PX : px;
    const h = Math.round(Math.max(MIN_DETAILS_PX, Math.min(px, Math.max(MIN_DETAILS_PX, room))));
    this.sizeDetails(h);
    return h;
  }

  /** Sizes saved for this editor (state.ts LayoutState). */
  restoreLayout(columns: Readonly<Record<string, number>> | undefined, detailsPx: number | undefined): void {
    const resizable = (list: readonly TableColumn[], cls: string): boolean => list.slice(0, -1).some((c) => c.cls === cls);
    for (const [cls, px] of Object.entries(columns ?? {})) if (resizable(COLUMNS, cls) || resizable(PACKET_COLUMNS, cls)) this.setColumnWidth(cls, px);
    if (detailsPx !== undefined) this.sizeDetails(detailsPx);
  }

  /** A dragged height is the whole pane's (padding and border inside it), not its content's. */
  private sizeDetails(px: number): void {
    this.detailsPx = px;
    this.details.style.boxSizing = 'border-box';
    this.details.style.height = `${px}px`;
    this.details.style.maxHeight = 'none';
  }

  private reportLayout(): void {
    this.host.layoutChanged?.({ columns: Object.fromEntries(this.columnWidths), detailsPx: this.detailsPx, timeMode: this.timeMode });
  }

  /**
   * The absolute origin (decimal ns) for the time cells' tooltips, and what the times are:
   * with a `counter` trace clock the "ns" are raw counts, shown as integers, not seconds.
   */
  /** What EventRow.line is for this trace: only text lines can be revealed in the text editor. */
  setLineKind(kind: TraceSummary['lineKind']): void {
    this.lineKind = kind;
    const columns = kind === 'packet' ? PACKET_COLUMNS : COLUMNS;
    if (columns === this.columns) return;
    // Another column set: new header, and row elements made again with its cells.
    this.columns = columns;
    this.element.classList.toggle('ktl-packets', kind === 'packet');
    this.element.setAttribute('aria-label', kind === 'packet' ? 'Packets' : 'Trace events');
    this.element.dataset.timeMode = this.timeMode;
    this.noDigits = 0;
    if (!this.columnWidths.has('c-no')) this.element.style.setProperty('--c-no', 'calc(3ch + 12px)');
    this.sort = null;
    this.buildHead();
    for (const s of this.slots) s.row.remove();
    this.slots.length = 0;
  }

  setTimeBase(originNs: string, timeSource: string): void {
    this.originNs = originNs;
    this.counter = timeSource === 'counter';
    this.untimed = timeSource === 'none';
    this.timeOfDay = timeSource === 'time-of-day';
    const head = this.columns === COLUMNS ? this.head.querySelector('.c-time') : null;
    if (head) {
      setText(head, this.counter ? 'Time (count)' : this.untimed ? 'Time (none)' : 'Time (s)');
      setTitle(
        head as HTMLElement,
        this.counter
        ? 'Trace clock counts since the first event (counter clock: no time unit)'
        : this.untimed
          ? 'The file has no timestamps (e.g. strace without -tt): events are in file order'
          : (COLUMNS[0]?.title ?? ''),
      );
    }
    for (const s of this.slots) s.key = '';
  }

  private formatTime(tsNs: number): string {
    if (this.untimed) return '';
    return this.counter ? String(tsNs) : formatSeconds(tsNs, this.decimals);
  }

  private formatAbsolute(tsNs: number): string {
    if (this.untimed) return 'no timestamp';
    if (this.timeOfDay) return formatTimeOfDay(this.originNs, tsNs);
    return this.counter ? formatAbsoluteCount(this.originNs, tsNs) : `${formatAbsoluteSeconds(this.originNs, tsNs, 9)} s`;
  }

  /**
   * Starts over for a new filter. `knownTotal` (the trace's count when nothing is filtered)
   * avoids a "loading" flash; `firstRow`/`selected` restore a saved view.
   */
  reset(filter: EventFilter, knownTotal: number | null, firstRow = 0, selected: number | null = null): void {
    this.started = true;
    this.generation++;
    this.filter = filter;
    this.knownTotal = knownTotal;
    this.cache.reset(filter, knownTotal, this.sort);
    this.firstRow = firstRow;
    this.selected = selected;
    // A short viewport (a capture's packet view below, a small panel) may not reach the
    // selected row from the first row asked for: centre it instead.
    const rowsInView = Math.floor(this.viewportPx / ROW_PX);
    if (selected !== null && rowsInView > 0 && (selected < firstRow || selected >= firstRow + rowsInView)) {
      this.firstRow = Math.max(0, selected - Math.floor((rowsInView - 1) / 2));
    }
    for (const s of this.slots) s.key = '';
    this.render();
  }

  /**
   * The trace grew (more of the file is read, or reading ended): the same filter and order over
   * more events. The position, selection and rows on screen stay; the rows are asked again.
   */
  grow(knownTotal: number | null): void {
    if (!this.started) return;
    this.knownTotal = knownTotal;
    this.cache.refresh(knownTotal);
    this.render();
  }

  focus(): void {
    this.viewport.focus({ preventScroll: true });
  }

  /** The list's order: positions (selection, find, timeline picks) are positions in it. */
  get currentSort(): RowSort | null {
    return this.sort;
  }

  get currentFilter(): EventFilter {
    return this.filter;
  }

  /** The selected position, if any. */
  get selectedPosition(): number | null {
    return this.selected;
  }

  /** Selects and shows position `pos` of the list (a find result), and takes the focus. */
  selectPosition(pos: number): void {
    const total = this.cache.total;
    if (total !== null && (pos < 0 || pos >= total)) return;
    this.select(pos);
    this.focus();
  }

  /** Header click: ascending, then descending, then back to file order; the list starts over at the top. */
  private cycleSort(column: SortColumn): void {
    const s = this.sort;
    this.sort = s?.column !== column ? { column, descending: false } : !s.descending ? { column, descending: true } : null;
    for (const h of this.head.querySelectorAll<HTMLElement>('[data-sort]')) {
      const on = this.sort?.column === h.dataset.sort;
      h.setAttribute('aria-sort', on ? (this.sort?.descending ? 'descending' : 'ascending') : 'none');
    }
    this.reset(this.filter, this.knownTotal);
  }

  private onRows(reply: RowsReply): void {
    if (!this.cache.accept(reply)) return;
    for (const r of reply.rows as readonly EventRow[]) {
      // Sticky switches: once any row has sub-µs time or a tgid, the columns show them.
      if (this.decimals === 6 && !this.counter && r.tsNs % 1000 !== 0) this.setDecimals(9);
      if (r.tgid !== null) this.element.classList.remove('ktl-no-tgid');
    }
    this.schedule();
  }

  private onRequestError(requestId: number, message: string): void {
    if (this.cache.fail(requestId, message)) this.schedule();
  }

  private setDecimals(d: 6 | 9): void {
    this.decimals = d;
    this.element.classList.toggle('ktl-ns', d === 9);
    for (const s of this.slots) s.key = '';
  }

  private geometry(): Geometry {
    return { total: this.cache.total ?? 0, rowPx: ROW_PX, viewportPx: this.viewportPx };
  }

  private schedule(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (!this.started) return;
    const total = this.cache.total;
    if (total !== this.lastTotal) {
      this.lastTotal = total;
      this.host.totalChanged(total);
    }
    const visible = Math.ceil(this.viewportPx / ROW_PX) + 1;

    if (total === null) {
      // A new filter is being counted: keep the old scroll space, ask for the rows at the
      // restored position, and draw nothing stale.
      const start = Math.floor(this.firstRow);
      this.cache.ensure(start, start + visible, start);
      this.hideSlotsFrom(0);
      this.showOverlay(this.cache.lastError ?? 'Loading…');
      this.renderDetails();
      return;
    }

    const g = this.geometry();
    this.firstRow = clampFirstRow(this.firstRow, g);
    if (this.selected !== null) this.selected = total === 0 ? null : Math.min(this.selected, total - 1);
    this.element.setAttribute('aria-rowcount', String(total + 1));

    // The sticky layer is one viewport tall; the spacer supplies the rest of the scroll space.
    const spacerPx = Math.max(0, contentPx(g) - this.viewportPx);
    this.spacer.style.height = `${spacerPx}px`;
    const wantTop = scrollTopFromFirstRow(this.firstRow, g);
    if (Math.abs(this.viewport.scrollTop - wantTop) > 1) this.viewport.scrollTop = wantTop;
    this.knownScrollTop = this.viewport.scrollTop;

    const start = Math.floor(this.firstRow);
    const offsetPx = (this.firstRow - start) * ROW_PX;
    this.cache.ensure(start - PREFETCH_ROWS, start + visible + PREFETCH_ROWS, start);

    const n = Math.max(0, Math.min(visible, total - start));
    for (let k = 0; k < n; k++) this.fillSlot(this.slotAt(k), start + k, k * ROW_PX - offsetPx);
    this.hideSlotsFrom(n);

    if (total === 0) this.showOverlay(this.cache.lastError ?? 'No events match the filter.');
    else if (this.cache.lastError) this.showOverlay(this.cache.lastError);
    else this.showOverlay('');
    this.renderDetails();

    const saved = `${this.firstRow}:${this.selected}`;
    if (saved !== this.lastSaved) {
      this.lastSaved = saved;
      this.host.viewChanged(this.firstRow, this.selected);
    }
  }

  private slotAt(k: number): Slot {
    let slot = this.slots[k];
    if (!slot) {
      const row = el('div', 'ktl-row');
      row.setAttribute('role', 'row');
      row.id = `ktl-slot-${k}`;
      const cells = this.columns.map((c) => {
        const cell = el('div', `ktl-cell ${c.cls}`);
        cell.setAttribute('role', 'gridcell');
        return cell;
      });
      row.append(...cells);
      this.layer.append(row);
      slot = { row, cells, key: '' };
      this.slots[k] = slot;
    }
    return slot;
  }

  private fillSlot(slot: Slot, position: number, topPx: number): void {
    const { row, cells } = slot;
    row.hidden = false;
    row.style.transform = `translateY(${topPx}px)`;
    const selected = position === this.selected;
    row.classList.toggle('ktl-selected', selected);
    row.setAttribute('aria-selected', String(selected));
    if (selected) this.viewport.setAttribute('aria-activedescendant', row.id);

    const ev = this.cache.get(position);
    // The delta needs the previous row; it may arrive in a later page, so it is in the key.
    const prev = position > 0 ? this.cache.get(position - 1) : undefined;
    const key = `${this.generation}.${this.cache.version}:${position}:${ev ? 1 : 0}:${prev ? 1 : 0}`;
    if (key === slot.key) return;
    slot.key = key;
    row.setAttribute('aria-rowindex', String(position + 2));
    row.dataset.position = String(position);
    if (this.columns === PACKET_COLUMNS) {
      this.fillPacketSlot(row, cells, ev, position, selected);
      return;
    }
    const [time, delta, cpu, task, tgid, flags, event, text] = cells as [HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement];

    if (!ev) {
      row.className = `ktl-row ktl-pending${position % 2 ? ' ktl-odd' : ''}${selected ? ' ktl-selected' : ''}`;
      delete row.dataset.line;
      delete row.dataset.index;
      setText(time, '…');
      for (const c of [delta, cpu, task, tgid, flags, event, text]) setText(c, '');
      setTitle(time, '');
      setTitle(text, '');
      return;
    }
    row.className = `ktl-row${position % 2 ? ' ktl-odd' : ''}${selected ? ' ktl-selected' : ''}${MARKER_EVENTS.has(ev.event) ? ' ktl-marker' : ''}`;
    row.dataset.line = String(ev.line);
    row.dataset.index = String(ev.index);
    setText(time, this.formatTime(ev.tsNs));
    const where = positionLabel(this.lineKind, ev.line);
    setTitle(time, `${this.formatAbsolute(ev.tsNs)} (absolute)${where ? ` · ${where}` : ''}`);
    setText(delta, prev && !this.untimed ? (this.counter ? `${ev.tsNs < prev.tsNs ? '' : '+'}${ev.tsNs - prev.tsNs}` : formatDelta(ev.tsNs - prev.tsNs)) : '');
    setText(cpu, String(ev.cpu));
    setText(task, formatTask(ev.comm, ev.pid));
    setText(tgid, ev.tgid === null ? '' : String(ev.tgid));
    setText(flags, ev.flags);
    setText(event, ev.event);
    event.className = `ktl-cell c-event ktl-ev-c${colourOf(ev.event)}`;
    setText(text, ev.text);
    setTitle(text, ev.text);
  }

  private fillPacketSlot(row: HTMLElement, cells: readonly HTMLElement[], ev: EventRow | undefined, position: number, selected: boolean): void {
    row.className = `ktl-row${ev ? '' : ' ktl-pending'}${position % 2 ? ' ktl-odd' : ''}${selected ? ' ktl-selected' : ''}`;
    if (!ev) {
      delete row.dataset.line;
      delete row.dataset.index;
      cells.forEach((c, k) => {
        setText(c, k === 0 ? '…' : '');
        setTitle(c, '');
      });
      return;
    }
    row.dataset.line = String(ev.line);
    row.dataset.index = String(ev.index);
    // No. is as wide as the longest packet number shown so far, no wider (unless dragged): room for Info.
    const digits = String(ev.line).length;
    if (digits > this.noDigits && !this.columnWidths.has('c-no')) {
      this.noDigits = digits;
      this.element.style.setProperty('--c-no', `calc(${digits}ch + 12px)`);
    }
    fillPacketCells(cells, ev, this.timeMode, this.originNs);
  }

  private hideSlotsFrom(k: number): void {
    for (let i = k; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (s && !s.row.hidden) s.row.hidden = true;
    }
  }

  private showOverlay(message: string): void {
    setText(this.overlay, message);
    this.overlay.hidden = message === '';
  }

  private renderDetails(): void {
    const d = this.details;
    if (this.selected === null) {
      this.host.selectedRow?.(null);
      delete d.dataset.key;
      const packets = this.element.classList.contains('ktl-packets');
      d.replaceChildren(
        el('span', 'ktl-muted', packets ? 'Select a packet (↑/↓, PgUp/PgDn, Home/End): its layers and bytes open below; Enter moves to them.' : 'Select a row (↑/↓, PgUp/PgDn, Home/End); Enter or double-click opens its line.'),
      );
      return;
    }
    const pos = this.selected;
    const ev = this.cache.get(pos);
    const total = this.cache.total ?? 0;
    if (!ev) {
      delete d.dataset.key;
      d.replaceChildren(el('span', 'ktl-muted', `row ${formatCount(pos + 1)} of ${formatCount(total)} (loading…)`));
      return;
    }
    const key = `${this.generation}.${this.cache.version}:${pos}:${this.decimals}`;
    if (d.dataset.key === key) return;
    d.dataset.key = key;
    this.host.selectedRow?.(ev);
    if (this.columns === PACKET_COLUMNS) {
      d.replaceChildren(...packetDetails(ev, this.originNs));
      return;
    }
    const meta = el('div', 'ktl-details-meta');
    // A text line is a link to it; a packet number is only a label; trace.dat records have neither.
    const where = positionLabel(this.lineKind, ev.line);
    let position: HTMLElement | null = null;
    if (where !== null && this.lineKind === 'line') {
      const reveal = el('button', 'ktl-link', where);
      reveal.type = 'button';
      setTitle(reveal, 'Reveal this line in the text editor (Enter)');
      reveal.addEventListener('click', () => this.host.revealLine(ev.line, ev.event));
      position = reveal;
    } else if (where !== null) {
      position = el('span', '', where);
    }
    meta.append(
      el('span', 'ktl-muted', `row ${formatCount(pos + 1)} of ${formatCount(total)} · event #${formatCount(ev.index)}${position ? ' · ' : ''}`),
      ...(position ? [position] : []),
      el('span', 'ktl-muted', ` · ${this.formatAbsolute(ev.tsNs)} · CPU ${ev.cpu} · `),
      el('span', '', `${formatTask(ev.comm, ev.pid)}${ev.tgid === null ? '' : ` (tgid ${ev.tgid})`} ${ev.flags} `),
      el('span', `ktl-ev-c${colourOf(ev.event)}`, ev.event),
    );
    const text = elLines('div', 'ktl-details-text', ev.text);
    d.replaceChildren(meta, text);
  }

  // --- input -------------------------------------------------------------------------

  private onScroll(): void {
    if (this.cache.total === null) return;
    const top = this.viewport.scrollTop;
    if (Math.abs(top - this.knownScrollTop) <= 0.5) return;
    this.knownScrollTop = top;
    this.firstRow = firstRowFromScrollTop(top, this.geometry());
    this.schedule();
  }

  /**
   * In a scaled scroll space one wheel notch would jump thousands of rows, so the wheel
   * moves rows directly there. Unscaled lists keep the browser's own (smooth) scrolling.
   */
  private onWheel(e: WheelEvent): void {
    const g = this.geometry();
    if (!isScaled(g) || e.ctrlKey) return;
    e.preventDefault();
    const unit = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? ROW_PX : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? this.viewportPx : 1;
    this.firstRow = clampFirstRow(this.firstRow + (e.deltaY * unit) / ROW_PX, g);
    this.schedule();
  }

  private onKey(e: KeyboardEvent): void {
    const total = this.cache.total;
    if (!total || e.altKey || e.ctrlKey || e.metaKey) return;
    const g = this.geometry();
    const step = Math.max(1, fullRowsInView(g) - 1);
    const topVisible = Math.min(total - 1, Math.ceil(this.firstRow));
    const cur = this.selected;
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = cur === null ? topVisible : cur + 1;
        break;
      case 'ArrowUp':
        next = cur === null ? topVisible : cur - 1;
        break;
      case 'PageDown':
        next = (cur ?? topVisible) + step;
        break;
      case 'PageUp':
        next = (cur ?? topVisible) - step;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = total - 1;
        break;
      case 'Enter':
        if (cur !== null) this.reveal(cur);
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.select(Math.min(total - 1, Math.max(0, next)));
  }

  private onClick(e: MouseEvent, reveal: boolean): void {
    const row = (e.target as Element | null)?.closest<HTMLElement>('.ktl-row');
    const pos = Number(row?.dataset.position);
    if (!row || !Number.isSafeInteger(pos)) return;
    this.select(pos);
    this.focus();
    if (reveal) this.reveal(pos);
  }

  /**
   * The pane below the table grew (a capture's packet pane opening on the first selection):
   * scroll just enough that the selected row is whole again.
   */
  keepSelectedInView(): void {
    if (this.selected !== null) this.select(this.selected);
  }

  private select(pos: number): void {
    this.selected = pos;
    this.scrollToShow(pos);
    this.render();
    // The details below show the new row, which may take more lines than what they showed:
    // the viewport shrinks after this frame's layout, so look again once it is laid out.
    requestAnimationFrame(() => {
      if (this.selected === pos && this.scrollToShow(pos)) this.render();
    });
  }

  /** Scrolls just enough to show row `pos` whole in the viewport as laid out now; true when it moved. */
  private scrollToShow(pos: number): boolean {
    this.viewportPx = this.viewport.clientHeight;
    const rowsInView = this.viewportPx / ROW_PX;
    const before = this.firstRow;
    if (pos < this.firstRow) this.firstRow = pos;
    else if (pos + 1 > this.firstRow + rowsInView) this.firstRow = pos + 1 - rowsInView;
    this.firstRow = clampFirstRow(this.firstRow, this.geometry());
    return this.firstRow !== before;
  }


  private reveal(pos: number): void {
    const ev = this.cache.get(pos);
    // Captures: the host's revealLine focuses the packet tree (main.ts); trace.dat has no lines.
    if (ev && this.lineKind !== 'none') this.host.revealLine(ev.line, ev.event);
  }

  /** The selected event, once its row has loaded (the interleave view starts from it). */
  selectedRow(): EventRow | undefined {
    return this.selected === null ? undefined : this.cache.get(this.selected);
  }
}
