/**
 * The Latency view (issue 14): pick an opening and a closing event and an optional key field
 * (`sched_wakeup` -> `sched_switch` by `pid,next_pid`, `net_dev_queue` -> `net_dev_xmit` by
 * `skbaddr`); the worker pairs them (core/analysis/latency.ts) and answers count,
 * min/p50/p90/p99/max, unmatched opens and closes, a log-scale histogram and the worst
 * instances. Brushing the histogram lists the instances in that duration range; clicking an
 * instance shows its pair on the timeline and selects its opening event in the table.
 */
import type { LatencyData, LatencyInstance, LatencyQuery } from '../src/protocol/messages';
import { el, setText } from './dom';
import { formatCount, formatDuration, formatSeconds } from './format';
import { LatencyHistogramView } from './latency-histogram';
import { Latest, type Rpc } from './rpc';
import { colourOf, type Colours } from './tracks/colours';

export interface LatencyHost {
  readonly rpc: Rpc;
  colours(): Colours;
  /** Event names of the trace (for the pickers). */
  eventNames(): readonly string[];
  firstTsNs(): number;
  /** Show this pair: the timeline spans it, the table selects the opening event. */
  showPair(instance: LatencyInstance): void;
}

export class LatencyView {
  readonly element = el('section', 'ktl-lat');
  private readonly openBox = el('input', 'ktl-il-input');
  private readonly closeBox = el('input', 'ktl-il-input');
  private readonly keyBox = el('input', 'ktl-il-input');
  private readonly names = el('datalist');
  private readonly status = el('div', 'ktl-lat-status');
  private readonly stats = el('div', 'ktl-lat-stats');
  private readonly histogram: LatencyHistogramView;
  private readonly listTitle = el('div', 'ktl-lat-list-title');
  private readonly list = el('ol', 'ktl-lat-list');
  private readonly request: Latest<'latency'>;
  private readonly instancesRequest: Latest<'latencyInstances'>;
  private query: LatencyQuery | null = null;
  private data: LatencyData | null = null;

  constructor(private readonly host: LatencyHost) {
    this.request = new Latest(host.rpc);
    this.instancesRequest = new Latest(host.rpc);
    this.element.id = 'latency';
    this.element.setAttribute('aria-label', 'Latency between paired events');
    this.names.id = 'lat-event-names';
    const bar = el('div', 'ktl-il-bar');
    for (const [box, id, placeholder, label] of [
      [this.openBox, 'lat-open', 'opening event, e.g. sched_wakeup', 'Opening event'],
      [this.closeBox, 'lat-close', 'closing event, e.g. sched_switch', 'Closing event'],
      [this.keyBox, 'lat-key', 'key: FIELD or OPENFIELD,CLOSEFIELD (optional)', 'Key field: FIELD, or the opening and closing events’ fields comma-separated'],
    ] as const) {
      box.id = id;
      box.type = 'text';
      box.placeholder = placeholder;
      box.setAttribute('aria-label', label);
      box.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') this.ask();
      });
    }
    this.openBox.setAttribute('list', this.names.id);
    this.closeBox.setAttribute('list', this.names.id);
    const go = el('button', 'ktl-tl-button', 'Pair');
    go.id = 'lat-go';
    go.type = 'button';
    go.addEventListener('click', () => this.ask());
    bar.append(el('span', 'ktl-tl-title', 'Latency'), this.openBox, el('span', 'ktl-muted', '→'), this.closeBox, el('label', 'ktl-il-label', 'by'), this.keyBox, go, this.names);
    this.status.id = 'lat-status';
    this.status.setAttribute('aria-live', 'polite');
    this.stats.id = 'lat-stats';
    this.histogram = new LatencyHistogramView(
      () => host.colours(),
      (range) => this.brushed(range),
    );
    this.list.id = 'lat-list';
    this.listTitle.id = 'lat-list-title';
    this.list.addEventListener('click', (e) => {
      const li = (e.target as Element | null)?.closest<HTMLElement>('.ktl-lat-item');
      if (li) this.open(li);
    });
    this.list.addEventListener('keydown', (e) => {
      const li = (e.target as Element | null)?.closest<HTMLElement>('.ktl-lat-item');
      if (li && e.key === 'Enter') this.open(li);
    });
    this.element.append(bar, this.status, this.stats, this.histogram.element, this.listTitle, this.list);
    setText(this.status, 'Pick an opening and a closing event (and a key field to pair them by), then press Enter.');
  }

  /** The view became visible: fill the event pickers, draw at the current width. */
  show(): void {
    this.names.replaceChildren(...this.host.eventNames().map((n) => Object.assign(el('option'), { value: n })));
    this.histogram.draw();
  }

  private ask(): void {
    const open = this.openBox.value.trim();
    const close = this.closeBox.value.trim();
    const keys = this.keyBox.value.split(',').map((k) => k.trim());
    if (!open || !close) {
      setText(this.status, 'Both an opening and a closing event are needed.');
      return;
    }
    if (keys.length > 2 || (keys.length === 2 && (!keys[0] || !keys[1]))) {
      setText(this.status, 'The key is FIELD, or OPENFIELD,CLOSEFIELD.');
      return;
    }
    const q: LatencyQuery = { open, close, openKey: keys[0] || null, closeKey: keys[1] || null };
    this.query = q;
    setText(this.status, 'Pairing…');
    this.request.send(
      { type: 'latency', ...q },
      (reply) => this.render(q, reply.data),
      (message) => setText(this.status, message),
    );
  }

  private render(q: LatencyQuery, d: LatencyData): void {
    this.data = d;
    const pairs = `${formatCount(d.count)} pairs`;
    setText(this.status, d.count === 0 ? `No ${q.open} → ${q.close} pairs${q.openKey ? ` with the same ${q.openKey}` : ''}.` : `${q.open} → ${q.close}${q.openKey ? ` by ${q.openKey}${q.closeKey ? `/${q.closeKey}` : ''}` : ''}: ${pairs}`);
    const cells: [string, string, number | null][] = [
      ['count', 'pairs', d.count],
      ['min', 'min', d.minNs],
      ['p50', 'p50', d.p50Ns],
      ['p90', 'p90', d.p90Ns],
      ['p99', 'p99', d.p99Ns],
      ['max', 'max', d.maxNs],
      ['unmatchedOpens', 'unmatched opens', d.unmatchedOpens],
      ['unmatchedCloses', 'unmatched closes', d.unmatchedCloses],
    ];
    this.stats.replaceChildren(
      ...cells.map(([key, label, v]) => {
        const cell = el('span', 'ktl-lat-stat');
        cell.dataset.stat = key;
        cell.dataset.value = v === null ? '' : String(v);
        const isTime = key !== 'count' && !key.startsWith('unmatched');
        cell.append(el('span', 'ktl-muted', `${label} `), el('b', undefined, v === null ? '–' : isTime ? formatDuration(v) : formatCount(v)));
        return cell;
      }),
    );
    this.histogram.set(d.histogram, this.host.colours().events[colourOf(q.open)] ?? '');
    this.showList(`Worst ${d.worst.length}`, d.worst);
  }

  private brushed(range: [number, number] | null): void {
    const q = this.query;
    if (!q || !this.data) return;
    if (!range) {
      this.showList(`Worst ${this.data.worst.length}`, this.data.worst);
      return;
    }
    const [lo, hi] = range;
    this.instancesRequest.send(
      { type: 'latencyInstances', ...q, loNs: lo, hiNs: hi },
      (reply) => this.showList(`${formatCount(reply.total)} pairs ${lo <= 0 ? 'up to' : `from ${formatDuration(lo)} to`} ${formatDuration(hi)}${reply.total > reply.instances.length ? ` (longest ${reply.instances.length})` : ''}`, reply.instances),
      (message) => setText(this.listTitle, message),
    );
  }

  private showList(title: string, instances: readonly LatencyInstance[]): void {
    setText(this.listTitle, title);
    this.listTitle.dataset.count = String(instances.length);
    const first = this.host.firstTsNs();
    this.list.replaceChildren(
      ...instances.map((p) => {
        const li = el('li', 'ktl-lat-item');
        li.tabIndex = 0;
        li.dataset.open = String(p.open);
        li.dataset.close = String(p.close);
        li.dataset.dur = String(p.durNs);
        li.dataset.ts = String(p.openTsNs);
        li.dataset.lines = `${p.openLine},${p.closeLine}`;
        li.append(el('b', 'ktl-lat-dur', formatDuration(p.durNs)), el('span', 'ktl-muted', ` at ${formatSeconds(p.openTsNs - first, 6)} · line ${p.openLine} → ${p.closeLine}`));
        return li;
      }),
    );
  }

  private open(li: HTMLElement): void {
    const [openLine, closeLine] = (li.dataset.lines ?? '').split(',').map(Number);
    for (const x of this.list.querySelectorAll('.ktl-lat-item[aria-current]')) x.removeAttribute('aria-current');
    li.setAttribute('aria-current', 'true');
    this.host.showPair({ open: Number(li.dataset.open), close: Number(li.dataset.close), openLine: openLine ?? 0, closeLine: closeLine ?? 0, openTsNs: Number(li.dataset.ts), durNs: Number(li.dataset.dur) });
  }
}
