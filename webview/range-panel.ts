/**
 * The brushed range as a question (under the timeline): how long, how many events, the first
 * and the last, counts per event, per CPU and per task, and each task's running time per CPU
 * from the sched_switch slices — all computed by the worker over the whole range
 * (`rangeStats`); the lists sort by any column here (at most MAX_RANGE_ROWS rows each).
 * Every name is trace text: textContent only.
 */
import type { EventRow, RangeStatsView } from '../src/protocol/messages';
import { el, setText, setTitle } from './dom';
import { formatCount, formatDuration, formatSeconds, formatTask } from './format';

type Cell = string | number;
interface Column {
  readonly title: string;
  readonly numeric: boolean;
  /** How a number shows (default: a count); sorting uses the number. */
  readonly format?: (v: number) => string;
}

export class RangePanel {
  readonly element = el('section', 'ktl-range');
  private readonly head = el('div', 'ktl-range-head');
  private readonly body = el('div', 'ktl-range-body');
  private readonly filterButton = el('button', 'ktl-tl-button ktl-range-filter', 'Filter table to range');
  private range: readonly [number, number] | null = null;

  constructor(
    private readonly firstTsNs: () => number,
    filterTo: (range: readonly [number, number]) => void,
  ) {
    this.element.id = 'range-panel';
    this.element.setAttribute('aria-label', 'Selected range');
    this.element.hidden = true;
    this.filterButton.type = 'button';
    this.filterButton.id = 'range-filter';
    setTitle(this.filterButton, 'Show only the events of this range in the table (Clear filters undoes it)');
    this.filterButton.addEventListener('click', () => {
      if (this.range) filterTo(this.range);
    });
    const bar = el('div', 'ktl-range-bar');
    bar.append(this.head, this.filterButton);
    this.element.append(bar, this.body);
  }

  clear(): void {
    this.range = null;
    this.element.hidden = true;
    this.body.replaceChildren();
  }

  pending(startNs: number, endNs: number): void {
    this.range = [startNs, endNs];
    this.element.hidden = false;
    setText(this.head, `Range ${formatDuration(endNs - startNs)} · counting…`);
    this.body.replaceChildren();
  }

  show(s: RangeStatsView): void {
    this.range = [s.startNs, s.endNs];
    this.element.hidden = false;
    this.element.dataset.total = String(s.total);
    const t0 = this.firstTsNs();
    setText(this.head, `Range ${formatSeconds(s.startNs - t0, 9)} s – ${formatSeconds(s.endNs - t0, 9)} s · ${formatDuration(s.endNs - s.startNs)} · ${formatCount(s.total)} events`);
    const ends = el('div', 'ktl-range-ends');
    ends.append(endRow('first', s.first, t0), endRow('last', s.last, t0));
    this.body.replaceChildren(
      ends,
      table('range-events', 'Events', [{ title: 'event', numeric: false }, { title: 'count', numeric: true }], s.events.map((e) => [e.name, e.count])),
      table('range-cpus', 'CPUs', [{ title: 'CPU', numeric: true }, { title: 'count', numeric: true }], s.cpus.map((c) => [Number(c.name), c.count])),
      table('range-tasks', 'Tasks', [{ title: 'task', numeric: false }, { title: 'count', numeric: true }], s.tasks.map((t) => [formatTask(t.comm, t.pid), t.count])),
      table(
        'range-run',
        'Running time (sched_switch)',
        [
          { title: 'CPU', numeric: true },
          { title: 'task', numeric: false },
          { title: 'ran', numeric: true, format: formatDuration },
        ],
        s.runTime.map((r) => [r.cpu, formatTask(r.comm, r.pid), r.runNs]),
      ),
    );
  }
}

function endRow(which: string, row: EventRow | null, t0: number): HTMLElement {
  const r = el('div', 'ktl-range-end');
  r.dataset.which = which;
  if (!row) {
    r.append(el('span', 'ktl-muted', `${which}: none`));
    return r;
  }
  r.dataset.index = String(row.index);
  r.append(el('span', 'ktl-muted', `${which}: ${formatSeconds(row.tsNs - t0, 9)} s · CPU ${row.cpu} · `), el('span', '', `${formatTask(row.comm, row.pid)} ${row.event}`));
  setTitle(r, row.text);
  return r;
}

/** A small table whose column headers sort it (click again: the other way). */
function table(id: string, caption: string, cols: readonly Column[], rows: Cell[][]): HTMLElement {
  const box = el('div', 'ktl-range-list');
  box.id = id;
  const t = el('table', 'ktl-range-table');
  const cap = el('caption', '', caption);
  const thead = el('thead');
  const hr = el('tr');
  const tbody = el('tbody');
  let sortCol = cols.findIndex((c) => c.title === 'count' || c.title.startsWith('ran'));
  let desc = true;
  const fill = (): void => {
    const sorted = [...rows];
    if (sortCol >= 0) {
      const k = sortCol;
      sorted.sort((a, b) => {
        const x = a[k] as Cell;
        const y = b[k] as Cell;
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
        return desc ? -c : c;
      });
    }
    tbody.replaceChildren(
      ...sorted.map((r) => {
        const tr = el('tr');
        r.forEach((v, k) => {
          const col = cols[k];
          const text = typeof v !== 'number' || col?.title === 'CPU' ? String(v) : (col?.format ?? formatCount)(v);
          const td = el('td', col?.numeric ? 'ktl-num' : '', text);
          if (typeof v === 'number') td.dataset.value = String(v);
          tr.append(td);
        });
        return tr;
      }),
    );
    hr.querySelectorAll('th').forEach((th, k) => th.setAttribute('aria-sort', k === sortCol ? (desc ? 'descending' : 'ascending') : 'none'));
  };
  cols.forEach((c, k) => {
    const th = el('th', c.numeric ? 'ktl-num' : '');
    const b = el('button', 'ktl-range-sort', c.title);
    b.type = 'button';
    b.addEventListener('click', () => {
      desc = sortCol === k ? !desc : c.numeric;
      sortCol = k;
      fill();
    });
    th.append(b);
    hr.append(th);
  });
  thead.append(hr);
  t.append(cap, thead, tbody);
  box.append(t);
  fill();
  return box;
}
