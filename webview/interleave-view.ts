/**
 * The Interleavings view: one shared object (FIELD=VALUE typed, or picked from the selected
 * event's fields) and the events that touch it from every CPU, side by side in one column per
 * CPU in time order, as seed 004's "CPU 2 | CPU 0" listing. With an (OPEN, CLOSE) pair of
 * event names, the windows in which two CPUs were inside the object's critical section at
 * once, ranked by how close they came (core/analysis/lifecycle/interleave.ts, computed by the worker).
 *
 * Input: Enter in either box (or Show) asks again; click an event = open its line (and source
 * line); click a window = mark its events. ↑/↓ in the listing move between events, Enter opens.
 */
import type { EventRow, InterleaveData } from '../src/protocol/messages';
import { el, setText, setTitle } from './dom';
import { formatCount, formatDuration, formatSeconds, formatTask } from './format';
import { isInterleaveData } from './lifecycle-data';
import { listboxStep } from './list-keys';
import { fieldsOf } from './event-fields';
import { Latest, type Rpc } from './rpc';

export interface InterleaveHost {
  readonly rpc: Rpc;
  firstTsNs(): number;
  reveal(line: number, event: string): void;
  /** The event selected in the table (its fields are offered as objects). */
  selectedEvent(): EventRow | undefined;
  /** The boxes' text, for the saved state. */
  queryChanged(key: string, pair: string): void;
}

export class InterleaveView {
  readonly element = el('section', 'ktl-il');
  private readonly keyBox = el('input', 'ktl-il-input');
  private readonly pairBox = el('input', 'ktl-il-input');
  private readonly suggestions = el('div', 'ktl-il-suggest');
  private readonly status = el('div', 'ktl-il-status');
  private readonly listing = el('div', 'ktl-il-listing');
  private readonly windows = el('div', 'ktl-il-windows');
  private readonly request: Latest<'interleave'>;
  private data: InterleaveData | null = null;
  private selected: number | null = null;

  constructor(
    private readonly host: InterleaveHost,
    saved: { key: string; pair: string } | undefined,
  ) {
    this.request = new Latest(host.rpc);
    this.element.id = 'interleave';
    this.element.setAttribute('aria-label', 'Interleavings');
    const bar = el('div', 'ktl-il-bar');
    this.keyBox.id = 'il-key';
    this.keyBox.type = 'text';
    this.keyBox.placeholder = 'FIELD=VALUE, e.g. xs=0xffff90fd32693c00';
    this.keyBox.setAttribute('aria-label', 'Shared object: FIELD=VALUE or a bare value');
    this.pairBox.id = 'il-pair';
    this.pairBox.type = 'text';
    this.pairBox.placeholder = 'OPEN,CLOSE, e.g. __xsk_rcv_zc_L7,xsk_flush';
    this.pairBox.setAttribute('aria-label', 'Critical section: opening and closing event names, comma-separated (optional)');
    if (saved) {
      this.keyBox.value = saved.key;
      this.pairBox.value = saved.pair;
    }
    const go = el('button', 'ktl-tl-button', 'Show');
    go.id = 'il-go';
    go.type = 'button';
    go.addEventListener('click', () => this.ask());
    for (const box of [this.keyBox, this.pairBox]) {
      box.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') this.ask();
      });
    }
    bar.append(el('span', 'ktl-tl-title', 'Interleavings'), el('label', 'ktl-il-label', 'Object'), this.keyBox, el('label', 'ktl-il-label', 'Pair'), this.pairBox, go);
    this.status.id = 'il-status';
    this.status.setAttribute('aria-live', 'polite');
    this.suggestions.id = 'il-suggest';
    this.listing.id = 'il-listing';
    this.listing.tabIndex = 0;
    this.listing.setAttribute('role', 'listbox');
    this.listing.setAttribute('aria-label', 'Events touching the object, one column per CPU: ↑/↓ move, Enter opens');
    this.windows.id = 'il-windows';
    const body = el('div', 'ktl-il-body');
    body.append(this.listing, this.windows);
    this.element.append(bar, this.suggestions, this.status, body);
    setText(this.status, 'Type FIELD=VALUE (or pick a field of the selected event) and press Enter.');

    this.suggestions.addEventListener('click', (e) => {
      const b = (e.target as Element | null)?.closest<HTMLElement>('.ktl-il-chip');
      if (!b || b.dataset.key === undefined) return;
      this.keyBox.value = b.dataset.key;
      this.ask();
    });
    this.listing.addEventListener('click', (e) => {
      const r = (e.target as Element | null)?.closest<HTMLElement>('.ktl-il-row');
      const k = Number(r?.dataset.k);
      if (!Number.isSafeInteger(k)) return;
      this.select(k);
      this.open();
    });
    this.listing.addEventListener('keydown', (e) => this.onKey(e));
    this.windows.addEventListener('click', (e) => {
      const w = (e.target as Element | null)?.closest<HTMLElement>('.ktl-il-window');
      const rank = Number(w?.dataset.rank);
      if (Number.isSafeInteger(rank)) this.markWindow(rank);
    });
  }

  /** The view became visible: offer the selected event's fields as objects. */
  show(): void {
    const ev = this.host.selectedEvent();
    const fields = ev ? fieldsOf(ev.text) : [];
    if (fields.length === 0) {
      this.suggestions.replaceChildren(el('span', 'ktl-muted', ev ? `The selected event (line ${ev.line}) has no FIELD=VALUE fields.` : 'Select an event in the Events tab to pick one of its fields here.'));
      return;
    }
    this.suggestions.replaceChildren(
      el('span', 'ktl-muted', `Fields of line ${ev?.line ?? '?'}: `),
      ...fields.map((kv) => {
        const b = el('button', 'ktl-il-chip', kv);
        b.type = 'button';
        b.dataset.key = kv;
        return b;
      }),
    );
  }

  private ask(): void {
    const key = this.keyBox.value.trim();
    const pairText = this.pairBox.value.trim();
    this.host.queryChanged(key, pairText);
    if (!key) {
      setText(this.status, 'Type FIELD=VALUE first.');
      return;
    }
    let pair: { open: string; close: string } | null = null;
    if (pairText) {
      const parts = pairText.split(',').map((p) => p.trim());
      if (parts.length !== 2 || !parts[0] || !parts[1]) {
        this.status.classList.add('ktl-error-text');
        setText(this.status, `Pair expects OPEN,CLOSE (two event names), got "${pairText}".`);
        return;
      }
      pair = { open: parts[0], close: parts[1] };
    }
    this.status.classList.remove('ktl-error-text');
    setText(this.status, 'Searching…');
    this.request.send(
      { type: 'interleave', key, pair },
      (msg) => {
        if (isInterleaveData(msg.data)) this.render(msg.data);
      },
      (message) => {
        this.status.classList.add('ktl-error-text');
        setText(this.status, message);
      },
    );
  }

  private render(d: InterleaveData): void {
    this.data = d;
    this.selected = null;
    this.status.dataset.total = String(d.total);
    this.status.dataset.windows = String(d.windows.length);
    const parts = [`${formatCount(d.total)} event${d.total === 1 ? '' : 's'} touch ${d.key} on CPU${d.cpus.length === 1 ? '' : 's'} ${d.cpus.join(', ') || '–'}`];
    if (d.events.length < d.total) parts.push(`first ${formatCount(d.events.length)} listed`);
    if (d.pair) {
      parts.push(`${d.sections} critical section${d.sections === 1 ? '' : 's'} ${d.pair.open} .. ${d.pair.close}, ${d.windows.length} window${d.windows.length === 1 ? '' : 's'} with two CPUs inside`);
      if (d.unpairedCloses > 0) parts.push(`${d.unpairedCloses} ${d.pair.close} without an earlier ${d.pair.open} on its CPU`);
      if (d.unclosed > 0) parts.push(`${d.unclosed} never closed`);
    }
    setText(this.status, parts.join(' · '));

    // Columns: time, then one per CPU; each event sits in its CPU's column.
    const cols = d.cpus.length;
    this.listing.style.setProperty('--cpus', String(Math.max(1, cols)));
    const head = el('div', 'ktl-il-row ktl-il-head');
    head.setAttribute('aria-hidden', 'true');
    head.append(el('span', 'ktl-il-time', 'time (s)'), ...d.cpus.map((c) => el('span', 'ktl-il-cell', `CPU ${c}`)));
    const first = this.host.firstTsNs();
    const rows = d.events.map((ev, k) => {
      const r = el('div', 'ktl-il-row');
      r.id = `il-row-${k}`;
      r.dataset.k = String(k);
      r.dataset.index = String(ev.index);
      r.dataset.cpu = String(ev.cpu);
      r.setAttribute('role', 'option');
      r.setAttribute('aria-selected', 'false');
      r.append(el('span', 'ktl-il-time', formatSeconds(ev.tsNs - first, 9)));
      for (const c of d.cpus) {
        const cell = el('span', 'ktl-il-cell');
        if (c === ev.cpu) {
          cell.classList.add('ktl-il-here');
          cell.append(el('span', 'ktl-muted', `L${ev.line} `), el('span', 'ktl-il-ev', ev.event), el('span', '', ` ${ev.text}`));
          setTitle(cell, `${formatTask(ev.comm, ev.pid)} · line ${ev.line}: ${ev.text}`);
        }
        r.append(cell);
      }
      return r;
    });
    this.listing.replaceChildren(head, ...rows);

    if (!d.pair) {
      this.windows.replaceChildren(el('span', 'ktl-muted', 'Give a Pair (OPEN,CLOSE event names) to find the windows where two CPUs were inside the same critical section.'));
      return;
    }
    if (d.windows.length === 0) {
      this.windows.replaceChildren(el('span', 'ktl-muted', 'No two CPUs were inside the critical section at once.'));
      return;
    }
    this.windows.replaceChildren(
      el('div', 'ktl-lc-flight-title', 'Windows, closest first'),
      ...d.windows.map((w) => {
        const b = el('div', 'ktl-il-window');
        b.dataset.rank = String(w.rank);
        b.tabIndex = 0;
        b.append(el('span', 'ktl-il-rank', `#${w.rank} `), el('span', 'ktl-il-wsum', w.overlapNs > 0 ? `CPU ${w.cpus[0]} + CPU ${w.cpus[1]} overlap ${formatDuration(w.overlapNs)} · ` : `missed by ${formatDuration(w.gapNs)} · `), el('span', '', w.message));
        b.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') this.markWindow(w.rank);
        });
        return b;
      }),
    );
  }

  /** Marks a window's events (the two opens and what ran inside) in the listing. */
  private markWindow(rank: number): void {
    const w = this.data?.windows.find((x) => x.rank === rank);
    if (!w) return;
    const mark = new Set<number>([...w.opens, ...w.inside]);
    for (const b of this.windows.querySelectorAll<HTMLElement>('.ktl-il-window')) b.classList.toggle('ktl-selected', b.dataset.rank === String(rank));
    let firstRow: HTMLElement | null = null;
    for (const r of this.listing.querySelectorAll<HTMLElement>('.ktl-il-row[data-index]')) {
      const on = mark.has(Number(r.dataset.index));
      r.classList.toggle('ktl-il-marked', on);
      if (on && !firstRow) firstRow = r;
    }
    firstRow?.scrollIntoView({ block: 'nearest' });
  }

  private select(k: number): void {
    const n = this.data?.events.length ?? 0;
    if (k < 0 || k >= n) return;
    this.selected = k;
    for (const r of this.listing.querySelectorAll<HTMLElement>('.ktl-il-row[aria-selected="true"]')) r.setAttribute('aria-selected', 'false');
    const row = this.listing.querySelector<HTMLElement>(`#il-row-${k}`);
    row?.setAttribute('aria-selected', 'true');
    row?.scrollIntoView({ block: 'nearest' });
    this.listing.setAttribute('aria-activedescendant', `il-row-${k}`);
  }

  private open(): void {
    const ev = this.selected === null ? undefined : this.data?.events[this.selected];
    if (ev) this.host.reveal(ev.line, ev.event);
  }

  private onKey(e: KeyboardEvent): void {
    const n = this.data?.events.length ?? 0;
    if (n === 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const next = listboxStep(e.key, this.selected, n);
    if (next !== null) this.select(next);
    else if (e.key === 'Enter') this.open();
    else return;
    e.preventDefault();
  }
}
