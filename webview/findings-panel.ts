/**
 * A capture's findings (what `ktl findings` reports: truncated frames, lengths that lie, bad
 * checksums, echo requests without replies, periodic flows that stop, ...) as a list in the
 * sidebar: severity, kind, packet number, message. A click (or Enter) selects the packet.
 * Asked for once per summary; the same findings are in the Problems view.
 */
import type { CaptureFinding } from '../src/protocol/messages';
import { el, setTitle } from './dom';
import { formatCount } from './format';
import { isCaptureFindings } from './packet-data';
import { Latest, type Rpc } from './rpc';

export class FindingsPanel {
  readonly element = el('section', 'ktl-facet-section ktl-findings');
  private readonly list = el('div', 'ktl-findings-list');
  private readonly findings: Latest<'findings'>;

  constructor(
    rpc: Rpc,
    /** A finding about packet `number` (1-based) was picked. */
    private readonly pickPacket: (number: number) => void,
  ) {
    this.findings = new Latest(rpc);
    this.element.id = 'findings';
    this.list.id = 'findings-list';
    this.list.setAttribute('role', 'list');
  }

  /** Asks for the findings of the capture just loaded. */
  request(): void {
    this.render(null, 0, 'Looking for findings…');
    this.findings.send(
      { type: 'findings' },
      (msg) => {
        if (!isCaptureFindings(msg.findings)) this.render(null, 0, 'The extension sent malformed findings.');
        else this.render(msg.findings, msg.total, '');
      },
      (message) => this.render(null, 0, message),
    );
  }

  private render(findings: readonly CaptureFinding[] | null, total: number, message: string): void {
    const title = el('h2', 'ktl-section-title', 'Findings');
    title.append(el('span', 'ktl-section-count', findings ? formatCount(total) : ''));
    const rows: HTMLElement[] = [];
    if (findings && findings.length === 0) rows.push(el('div', 'ktl-muted', 'No findings.'));
    for (const f of findings ?? []) {
      const row = el('button', `ktl-finding ktl-finding-${f.severity}`);
      row.type = 'button';
      row.setAttribute('role', 'listitem');
      row.dataset.kind = f.kind;
      if (f.packet !== null) row.dataset.packet = String(f.packet);
      setTitle(row, f.packet !== null ? `Select packet ${f.packet}` : f.message);
      row.append(el('span', 'ktl-finding-where', f.packet !== null ? `#${f.packet}` : 'file'), el('span', 'ktl-finding-kind', f.kind), el('span', 'ktl-finding-message', f.message));
      const packet = f.packet;
      if (packet !== null) row.addEventListener('click', () => this.pickPacket(packet));
      else row.disabled = true;
      rows.push(row);
    }
    if (message) rows.push(el('div', 'ktl-muted', message));
    this.list.replaceChildren(...rows);
    this.element.replaceChildren(title, this.list);
    if (findings && total > findings.length) this.element.append(el('div', 'ktl-more', `first ${formatCount(findings.length)} of ${formatCount(total)} shown`));
  }
}
