/**
 * The trace at a glance: a header strip (file, format, tracer, counts, span, CPUs, lost
 * events, parse errors) and the sidebar's facet lists (events, CPUs, tasks, first parse
 * errors). Clicking an event or a CPU toggles it in the filter; clicking a task filters
 * by its pid; clicking a parse error reveals its line in the text editor.
 *
 * A capture speaks of what it has: packets, interfaces and protocols (each packet's event name),
 * not CPUs, a tracer, lost events or tasks.
 *
 * DOM contract used by the tests: `#summary-events[data-value]` is the exact event (packet) count.
 */
import type { CountEntry, TraceSummary } from '../src/protocol/messages';
import { clear, el, setTitle, setTitleLines } from './dom';
import { formatCount, formatDuration, formatTask, trackName } from './format';
import type { FilterModel } from './filters';
import type { FilterState } from './state';

/** Facet lists longer than this show the top entries and say how many were left out. */
const MAX_TASKS_SHOWN = 500;
const MAX_EVENTS_SHOWN = 2000;

export interface SummaryActions {
  revealLine(line: number): void;
}

export class SummaryView {
  readonly header = el('header', 'ktl-summary');
  readonly sidebar = el('aside', 'ktl-sidebar');
  private readonly eventItems = new Map<string, HTMLInputElement>();
  private readonly cpuItems = new Map<number, HTMLInputElement>();

  constructor(
    private readonly model: FilterModel,
    private readonly actions: SummaryActions,
  ) {
    this.sidebar.setAttribute('aria-label', 'Trace summary and filters');
    model.onChange((f) => this.showFilter(f));
  }

  render(s: TraceSummary): void {
    this.renderHeader(s);
    clear(this.sidebar);
    this.eventItems.clear();
    this.cpuItems.clear();

    const capture = isCapture(s);
    const events = [...s.eventCounts].sort(byCountThenName);
    this.sidebar.append(
      this.facetSection(capture ? 'Protocols' : 'Events', 'summary-event-list', events, MAX_EVENTS_SHOWN, (e) => e.name, (entry, box) => {
        this.eventItems.set(entry.name, box);
        box.closest('label')?.setAttribute('data-event', entry.name);
        box.addEventListener('change', () => this.model.toggleEvent(entry.name));
      }),
    );

    const cpus = [...s.cpuCounts].sort((a, b) => Number(a.name) - Number(b.name));
    this.sidebar.append(
      this.facetSection(s.interfaces ? 'Interfaces' : 'CPUs', 'summary-cpu-list', cpus, cpus.length, (e) => trackName(s, Number(e.name)), (entry, box) => {
        const cpu = Number(entry.name);
        if (!Number.isSafeInteger(cpu) || cpu < 0) {
          box.disabled = true;
          return;
        }
        this.cpuItems.set(cpu, box);
        box.closest('label')?.setAttribute('data-cpu', String(cpu));
        box.addEventListener('change', () => this.model.toggleCpu(cpu));
      }),
    );

    if (!capture) this.sidebar.append(this.tasksSection(s));
    if (s.errors.length > 0) this.sidebar.append(this.errorsSection(s));
    this.showFilter(this.model.current);
  }

  private renderHeader(s: TraceSummary): void {
    clear(this.header);
    const name = el('span', 'ktl-file-name', s.fileName);
    name.id = 'summary-file';
    setTitle(name, s.fileName);
    this.header.append(name);

    const item = (label: string, value: string, id?: string, cls?: string): HTMLElement => {
      const wrap = el('span', `ktl-kv${cls ? ` ${cls}` : ''}`);
      const v = el('span', 'ktl-kv-value', value);
      if (id) v.id = id;
      wrap.append(el('span', 'ktl-kv-label', label), v);
      this.header.append(wrap);
      return v;
    };
    const capture = isCapture(s);
    item('format', s.format, 'summary-format');
    if (!capture) item('tracer', s.tracer ?? '—', 'summary-tracer');
    // A ktl recording names what ended it: the trigger that fired is where the bug is.
    if (s.stoppedBy !== undefined) setTitle(item('stopped by', s.stoppedBy, 'summary-stopped-by', 'ktl-stopped-by'), s.stoppedBy);
    const events = item(capture ? 'packets' : 'events', formatCount(s.events), 'summary-events');
    events.dataset.value = String(s.events);
    // A counter trace clock has no unit: its span is a count, not nanoseconds.
    const counter = s.timeSource === 'counter';
    const span = item('span', s.timeSource === 'none' ? 'no timestamps' : counter ? `${formatCount(s.durationNs)} counts` : formatDuration(s.durationNs), 'summary-span');
    setTitle(span, `${formatCount(s.durationNs)} ${counter ? 'counts' : 'ns'} (times: ${s.timeSource})`);
    if (capture) {
      const names = (s.interfaces ?? []).map((i) => i.name);
      const ifs = item('interfaces', names.length > 0 ? names.join(', ') : '—', 'summary-interfaces');
      setTitleLines(ifs, (s.interfaces ?? []).map((i) => `${i.name}: ${i.linkType}`));
    } else {
      item('CPUs', formatCpuList(s.cpus), 'summary-cpus');
      const lost = item('lost', formatCount(s.lostEvents), 'summary-lost', s.lostEvents > 0 ? 'ktl-warn' : undefined);
      lost.dataset.value = String(s.lostEvents);
    }
    const errors = item('parse errors', formatCount(s.errorCount), 'summary-errors', s.errorCount > 0 ? 'ktl-error-text' : undefined);
    errors.dataset.value = String(s.errorCount);
  }

  private facetSection(
    title: string,
    id: string,
    entries: readonly CountEntry[],
    limit: number,
    labelOf: (entry: CountEntry) => string,
    wire: (entry: CountEntry, box: HTMLInputElement) => void,
  ): HTMLElement {
    const section = el('section', 'ktl-facet-section');
    section.append(sectionTitle(title, entries.length));
    const list = el('div', 'ktl-facets');
    list.id = id;
    const max = entries.reduce((m, e) => Math.max(m, e.count), 1);
    for (const entry of entries.slice(0, limit)) {
      const label = el('label', 'ktl-facet');
      const box = el('input');
      box.type = 'checkbox';
      const name = el('span', 'ktl-facet-name', labelOf(entry));
      setTitle(name, entry.name);
      const count = el('span', 'ktl-facet-count', formatCount(entry.count));
      // The bar is a share of the largest entry; CSSOM width is allowed by the CSP.
      const bar = el('span', 'ktl-facet-bar');
      bar.style.width = `${Math.max(1, (entry.count / max) * 100).toFixed(1)}%`;
      label.append(box, name, count, bar);
      list.append(label);
      wire(entry, box);
    }
    section.append(list);
    if (entries.length > limit) section.append(el('div', 'ktl-more', `${formatCount(entries.length - limit)} more not shown`));
    return section;
  }

  private tasksSection(s: TraceSummary): HTMLElement {
    const section = el('section', 'ktl-facet-section');
    section.append(sectionTitle('Tasks', s.tasks.length));
    const list = el('div', 'ktl-facets');
    list.id = 'summary-task-list';
    const tasks = [...s.tasks].sort((a, b) => b.count - a.count || a.pid - b.pid);
    const max = tasks.reduce((m, t) => Math.max(m, t.count), 1);
    for (const t of tasks.slice(0, MAX_TASKS_SHOWN)) {
      const row = el('button', 'ktl-facet ktl-task');
      row.type = 'button';
      setTitle(row, t.pid >= 0 ? `Show only pid ${t.pid}` : `Show only ${t.comm}`);
      row.dataset.pid = String(t.pid);
      const bar = el('span', 'ktl-facet-bar');
      bar.style.width = `${Math.max(1, (t.count / max) * 100).toFixed(1)}%`;
      row.append(el('span', 'ktl-facet-name', formatTask(t.comm, t.pid)), el('span', 'ktl-facet-count', formatCount(t.count)), bar);
      row.addEventListener('click', () => {
        const pid = t.pid >= 0 ? String(t.pid) : t.comm;
        this.model.setTask(this.model.current.task.trim() === pid ? '' : pid);
      });
      list.append(row);
    }
    section.append(list);
    if (tasks.length > MAX_TASKS_SHOWN) section.append(el('div', 'ktl-more', `${formatCount(tasks.length - MAX_TASKS_SHOWN)} more not shown`));
    return section;
  }

  private errorsSection(s: TraceSummary): HTMLElement {
    const section = el('section', 'ktl-facet-section ktl-errors');
    section.append(sectionTitle('Parse errors', s.errorCount));
    const list = el('div', 'ktl-error-list');
    list.id = 'summary-error-list';
    for (const e of s.errors) {
      const row = el('button', 'ktl-error-item');
      row.type = 'button';
      setTitle(row, `Reveal line ${e.line}`);
      row.append(el('span', 'ktl-error-line', `${e.line}:`), el('span', 'ktl-error-message', e.message));
      row.addEventListener('click', () => this.actions.revealLine(e.line));
      list.append(row);
    }
    section.append(list);
    if (s.errorCount > s.errors.length) section.append(el('div', 'ktl-more', `first ${s.errors.length} of ${formatCount(s.errorCount)} shown`));
    return section;
  }

  /** Keeps the checkboxes and the highlighted task in step with the model. */
  private showFilter(f: FilterState): void {
    for (const [name, box] of this.eventItems) box.checked = f.events.includes(name);
    for (const [cpu, box] of this.cpuItems) box.checked = f.cpus.includes(cpu);
    const task = f.task.trim();
    for (const b of this.sidebar.querySelectorAll<HTMLElement>('.ktl-task')) b.classList.toggle('ktl-active', b.dataset.pid === task);
  }
}

/** A capture (pcap, pcapng): its rows are packets (summary.lineKind). */
function isCapture(s: TraceSummary): boolean {
  return s.lineKind === 'packet';
}

export function sectionTitle(title: string, n: number): HTMLElement {
  const h = el('h2', 'ktl-section-title', title);
  h.append(el('span', 'ktl-section-count', formatCount(n)));
  return h;
}

function byCountThenName(a: CountEntry, b: CountEntry): number {
  return b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** [0,1,2,3,6] -> "0-3, 6 (5)": a 256-CPU box must not flood the header. */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...cpus].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return sorted.length ? `${parts.join(', ')} (${sorted.length})` : '—';
}
