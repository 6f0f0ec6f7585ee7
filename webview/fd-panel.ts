/**
 * strace traces: the per file descriptor views in the sidebar ("File descriptors"). Write
 * stalls come first and say so in words (seed 003: "asked writable 14× since 3.2 s, never
 * ready, nothing written"); each fd opens to its calls, and a call selects its event in the
 * table and on the timeline (double-click: reveals its line in the text editor).
 *
 * DOM contract used by the tests: `#fd-list`, one `.ktl-fd[data-fd][data-process]` per fd
 * life, `.ktl-fd-stall` on stalled ones, `.ktl-fd-use[data-index]` per listed call.
 */
import type { FdSummary, FdUseRow, ReplyTo, TraceSummary } from '../src/protocol/messages';
import { clear, el, setTitle } from './dom';
import { formatCount, formatSeconds } from './format';
import { isFdSummary } from './sanitize';
import { sectionTitle } from './summary';
import { Latest, type Rpc } from './rpc';

export interface FdPanelHost {
  readonly rpc: Rpc;
  /** Select event `index` in the table and the timeline. */
  pick(index: number): void;
  revealLine(line: number): void;
}

export class FdPanel {
  readonly element = el('section', 'ktl-facet-section ktl-fd-section');
  private readonly list = el('div', 'ktl-fd-list');
  private readonly fds: Latest<'fds'>;
  /** strace without -t/-tt/-ttt/-r: calls are placed by line, not time. */
  private untimed = false;

  constructor(private readonly host: FdPanelHost) {
    this.fds = new Latest(host.rpc);
    this.list.id = 'fd-list';
    this.element.hidden = true;
  }

  /** Asks for the views when the trace is strace; hides the panel otherwise. */
  setSummary(s: TraceSummary): void {
    this.untimed = s.timeSource === 'none';
    this.element.hidden = s.format !== 'strace';
    if (this.element.hidden) return;
    clear(this.element);
    this.element.append(sectionTitle('File descriptors', 0), el('div', 'ktl-more', 'reading…'));
    this.fds.send(
      { type: 'fds' },
      (reply) => this.show(reply),
      (message) => {
        clear(this.element);
        this.element.append(sectionTitle('File descriptors', 0), el('div', 'ktl-more', message));
      },
    );
  }

  private show(msg: ReplyTo<'fds'>): void {
    clear(this.element);
    const views = msg.views.filter(isFdSummary);
    this.element.append(sectionTitle('File descriptors', msg.total));
    clear(this.list);
    for (const v of views) this.list.append(this.entry(v));
    this.element.append(this.list);
    if (msg.total > views.length) this.element.append(el('div', 'ktl-more', `${formatCount(msg.total - views.length)} more not shown`));
  }

  private entry(v: FdSummary): HTMLElement {
    const item = el('details', `ktl-fd${v.stall ? ' ktl-fd-stall' : ''}`);
    item.dataset.fd = String(v.fd);
    item.dataset.process = String(v.process);
    const head = el('summary', 'ktl-fd-head');
    const row = el('span', 'ktl-fd-row');
    row.append(el('span', 'ktl-fd-name', `fd ${v.fd}`), el('span', 'ktl-fd-path', v.path ?? ''), el('span', 'ktl-facet-count', v.process < 0 ? '' : `pid ${v.process}`));
    head.append(row);
    const process = v.process < 0 ? '' : ` (process ${v.process})`;
    const span = this.untimed ? '' : ` ${formatSeconds(v.firstTsNs, 6)}–${formatSeconds(v.lastTsNs, 6)} s`;
    setTitle(head, `${v.path ?? `fd ${v.fd}`}${process}${span}${v.closed ? ', closed' : ''}`);
    // The verdict is part of the summary line: seen without opening the fd.
    if (v.stall) head.append(el('span', 'ktl-fd-verdict', stallText(v, this.untimed)));
    item.append(head);
    const calls = v.calls.map((c) => `${c.name}×${c.count}`).join(' ');
    item.append(el('div', 'ktl-fd-calls', calls));
    if (v.waitsForRead + v.waitsForWrite > 0) {
      item.append(el('div', 'ktl-fd-calls', `asked readable ${v.waitsForRead}× (ready ${v.readyForRead}×), writable ${v.waitsForWrite}× (ready ${v.readyForWrite}×)`));
    }
    // The calls are built when the fd is first opened: a trace can have thousands of fds.
    item.addEventListener('toggle', () => {
      if (item.open && !item.querySelector('.ktl-fd-uses')) item.append(this.uses(v));
    });
    return item;
  }

  private uses(v: FdSummary): HTMLElement {
    const list = el('div', 'ktl-fd-uses');
    v.uses.forEach((u, k) => {
      // Truncated lists hold the first and the last calls (worker/fd-service.ts): mark the gap.
      if (v.useCount > v.uses.length && k === Math.floor(v.uses.length / 2)) {
        list.append(el('div', 'ktl-more', `${formatCount(v.useCount - v.uses.length)} calls not listed`));
      }
      const b = el('button', 'ktl-fd-use');
      b.type = 'button';
      b.dataset.index = String(u.index);
      setTitle(b, `Line ${u.line}: select in the table (double-click: reveal the line)`);
      b.append(el('span', 'ktl-fd-time', this.untimed ? `line ${u.line}` : formatSeconds(u.tsNs, 6)), el('span', 'ktl-fd-call', useText(u)));
      b.addEventListener('click', () => this.host.pick(u.index));
      b.addEventListener('dblclick', () => this.host.revealLine(u.line));
      list.append(b);
    });
    return list;
  }
}

function stallText(v: FdSummary, untimed: boolean): string {
  const s = v.stall;
  if (!s) return '';
  const since = untimed ? `line ${s.sinceLine}` : `${formatSeconds(s.sinceTsNs, 6)} s`;
  return `write stall: asked writable ${formatCount(s.writePolls)}× since ${since}, never ready${s.everWritable ? ' again' : ''}, nothing written`;
}

function useText(u: FdUseRow): string {
  const rw = u.asked !== null ? ` ${u.asked}→${u.ready ?? '-'}` : '';
  return `${u.pid < 0 ? '' : `[${u.pid}] `}${u.call}${rw} = ${u.ret ?? '?'}${u.errno ? ` ${u.errno}` : ''}`;
}
