/**
 * The event filter: its model (events, CPUs, task, field text) and the toolbar that edits
 * the two text parts. Event and CPU sets are toggled from the summary's facet lists
 * (summary.ts); everyone observes the one FilterModel, so the checkboxes, the toolbar and
 * the table can never disagree about what is filtered.
 */
import type { EventFilter } from '../src/protocol/messages';
import { el, setText, setTitleLines } from './dom';
import { formatCount, formatDuration } from './format';
import { EMPTY_FILTER, type FilterState } from './state';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';

/** Typing in the task/text boxes re-queries the host this long after the last key, ms. */
export const TEXT_DEBOUNCE_MS = 250;

type Listener = (state: FilterState) => void;

export class FilterModel {
  private state: FilterState = EMPTY_FILTER;
  private readonly listeners: Listener[] = [];

  get current(): FilterState {
    return this.state;
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  set(next: FilterState): void {
    if (sameFilter(next, this.state)) return;
    this.state = next;
    for (const l of this.listeners) l(next);
  }

  toggleEvent(name: string): void {
    const events = this.state.events.includes(name) ? this.state.events.filter((e) => e !== name) : [...this.state.events, name];
    this.set({ ...this.state, events });
  }

  toggleCpu(cpu: number): void {
    const cpus = this.state.cpus.includes(cpu) ? this.state.cpus.filter((c) => c !== cpu) : [...this.state.cpus, cpu].sort((a, b) => a - b);
    this.set({ ...this.state, cpus });
  }

  setTask(task: string): void {
    this.set({ ...this.state, task });
  }

  setText(text: string): void {
    this.set({ ...this.state, text });
  }

  /** Only events in [startNs, endNs) (null: any time). */
  setTimeRange(range: readonly [number, number] | null): void {
    const { events, cpus, task, text, expr } = this.state;
    this.set(range ? { events, cpus, task, text, expr, timeRange: range } : { events, cpus, task, text, expr });
  }

  setExpr(expr: string): void {
    this.set({ ...this.state, expr });
  }

  clear(): void {
    this.set(EMPTY_FILTER);
  }
}

export function isEmptyFilter(f: FilterState): boolean {
  return f.events.length === 0 && f.cpus.length === 0 && f.task.trim() === '' && f.text === '' && !f.timeRange && f.expr.trim() === '';
}

function sameFilter(a: FilterState, b: FilterState): boolean {
  return (
    a.task === b.task &&
    a.text === b.text &&
    a.timeRange?.[0] === b.timeRange?.[0] &&
    a.timeRange?.[1] === b.timeRange?.[1] &&
    a.expr === b.expr &&
    a.events.length === b.events.length &&
    a.events.every((e, i) => e === b.events[i]) &&
    a.cpus.length === b.cpus.length &&
    a.cpus.every((c, i) => c === b.cpus[i])
  );
}

/** The protocol form: empty parts left out, the task trimmed (a pid is typed with spaces). */
export function toEventFilter(f: FilterState): EventFilter {
  const out: { events?: string[]; cpus?: number[]; task?: string; text?: string; timeRange?: readonly [number, number]; expr?: string } = {};
  if (f.timeRange) out.timeRange = [f.timeRange[0], f.timeRange[1]];
  if (f.events.length) out.events = [...f.events];
  if (f.cpus.length) out.cpus = [...f.cpus];
  if (f.task.trim()) out.task = f.task.trim();
  if (f.text) out.text = f.text;
  if (f.expr.trim()) out.expr = f.expr.trim();
  return out;
}

/**
 * Toolbar above the table: task and text boxes (debounced), a line saying which events
 * and CPUs are selected, a Clear button, and "N of M events".
 */
export class FilterBar {
  readonly element = el('div', 'ktl-toolbar');
  private readonly task = el('vscode-textfield') as VscodeTextfield;
  private readonly text = el('vscode-textfield') as VscodeTextfield;
  private readonly active = el('span', 'ktl-active-filter');
  private readonly clearButton = el('vscode-button', 'ktl-clear', 'Clear filters');
  private readonly matchCount = el('span', 'ktl-match-count');
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly model: FilterModel,
    /** The expression box (expr-box.ts), placed first: it is the filter most questions need. */
    expr?: HTMLElement,
  ) {
    this.task.id = 'filter-task';
    this.task.placeholder = 'Task: comm or pid';
    this.task.setAttribute('aria-label', 'Filter by task: substring of comm, or a pid');
    this.text.id = 'filter-text';
    this.text.placeholder = 'Fields contain…';
    this.text.setAttribute('aria-label', 'Filter by text in the event fields (case-insensitive)');
    this.clearButton.setAttribute('secondary', '');
    this.matchCount.id = 'match-count';
    this.matchCount.setAttribute('role', 'status');
    this.active.id = 'active-filter';

    this.task.addEventListener('input', () => this.debounce());
    this.text.addEventListener('input', () => this.debounce());
    // Enter applies at once, without waiting for the debounce.
    for (const box of [this.task, this.text]) {
      box.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') this.applyText();
      });
    }
    this.clearButton.addEventListener('click', () => {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.model.clear();
    });

    const spacer = el('span', 'ktl-spacer');
    if (expr) this.element.append(expr);
    this.element.append(this.task, this.text, this.active, this.clearButton, spacer, this.matchCount);
    model.onChange((s) => this.show(s));
    this.show(model.current);
  }

  private debounce(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.applyText(), TEXT_DEBOUNCE_MS);
  }

  private applyText(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const f = this.model.current;
    this.model.set({ ...f, task: this.task.value, text: this.text.value });
  }

  /** Mirrors the model (e.g. restored state, a task clicked in the summary, Clear). */
  private show(f: FilterState): void {
    // While a debounce is pending the boxes hold what the user is typing: keep it (it is
    // applied when the timer fires) rather than resetting it to the model's older value.
    if (this.timer === undefined) {
      if (this.task.value !== f.task) this.task.value = f.task;
      if (this.text.value !== f.text) this.text.value = f.text;
    }
    const parts: string[] = [];
    if (f.events.length) parts.push(f.events.length <= 3 ? `events: ${f.events.join(', ')}` : `${f.events.length} events`);
    if (f.cpus.length) parts.push(`CPU ${f.cpus.join(', ')}`);
    if (f.timeRange) parts.push(`time: ${formatDuration(f.timeRange[1] - f.timeRange[0])} range`);
    setText(this.active, parts.join(' · '));
    setTitleLines(this.active, parts);
    this.clearButton.toggleAttribute('disabled', isEmptyFilter(f));
  }

  /** "N of M events" ("packets" for a capture); `matched` is null while the first reply for a new filter is out. */
  showCount(matched: number | null, total: number, unit: 'events' | 'packets' = 'events'): void {
    setText(this.matchCount, `${matched === null ? '…' : formatCount(matched)} of ${formatCount(total)} ${unit}`);
    this.matchCount.dataset.total = String(total);
    if (matched === null) delete this.matchCount.dataset.matched;
    else this.matchCount.dataset.matched = String(matched);
  }
}
