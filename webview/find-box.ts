/**
 * Find in the table (Ctrl+F in the trace editor; F3 / Shift+F3 next / previous, also Enter /
 * Shift+Enter in the box; Escape closes): text (case-insensitive, in the event's display text)
 * or a filter expression. The worker searches the table's whole list (filter + sort) from the
 * selected row, wrapping once, and answers the matching row's position, which the table selects.
 */
import { el, setText, setTitle } from './dom';
import { Latest, type Rpc } from './rpc';
import type { EventTable } from './event-table';

export class FindBox {
  readonly element = el('div', 'ktl-find');
  private readonly input = el('input', 'ktl-il-input');
  private readonly exprMode = el('input');
  private readonly status = el('span', 'ktl-find-status');
  private readonly request: Latest<'find'>;

  constructor(
    rpc: Rpc,
    private readonly table: EventTable,
  ) {
    this.request = new Latest(rpc);
    this.element.id = 'find';
    this.element.setAttribute('role', 'search');
    this.element.hidden = true;
    this.input.id = 'find-input';
    this.input.type = 'text';
    this.input.placeholder = 'Find text, or an expression';
    this.input.setAttribute('aria-label', 'Find in the events: Enter next, Shift+Enter previous, Escape closes');
    this.exprMode.id = 'find-expr';
    this.exprMode.type = 'checkbox';
    const modeLabel = el('label', 'ktl-find-mode');
    modeLabel.append(this.exprMode, el('span', undefined, ' Expression'));
    setTitle(modeLabel, 'Search with a filter expression (len > 64 && comm ~ "ping*") instead of text');
    const prev = el('button', 'ktl-tl-button', '↑');
    prev.id = 'find-prev';
    prev.type = 'button';
    setTitle(prev, 'Previous match (Shift+F3)');
    prev.addEventListener('click', () => this.find(-1));
    const next = el('button', 'ktl-tl-button', '↓');
    next.id = 'find-next';
    next.type = 'button';
    setTitle(next, 'Next match (F3)');
    next.addEventListener('click', () => this.find(1));
    const close = el('button', 'ktl-tl-button', '×');
    close.type = 'button';
    setTitle(close, 'Close (Escape)');
    close.setAttribute('aria-label', 'Close find');
    close.addEventListener('click', () => this.close());
    this.status.id = 'find-status';
    this.status.setAttribute('aria-live', 'polite');
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.find(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        this.close();
      }
    });
    this.element.append(this.input, modeLabel, prev, next, close, this.status);
  }

  /** Ctrl+F: show the box with its text selected. */
  open(): void {
    this.element.hidden = false;
    this.input.focus();
    this.input.select();
  }

  close(): void {
    this.element.hidden = true;
    this.request.cancel();
    this.table.focus();
  }

  /** F3 / Shift+F3 anywhere in the editor: find again, or open the box when it has nothing to find. */
  again(direction: 1 | -1): void {
    if (this.input.value.trim() === '') this.open();
    else this.find(direction);
  }

  private find(direction: 1 | -1): void {
    const q = this.input.value;
    if (q.trim() === '') return;
    const expr = this.exprMode.checked;
    setText(this.status, 'Searching…');
    this.status.classList.remove('ktl-error-text');
    delete this.status.dataset.position;
    this.request.send(
      {
        type: 'find',
        filter: this.table.currentFilter,
        sort: this.table.currentSort,
        expr: expr ? q : '',
        text: expr ? '' : q,
        from: this.table.selectedPosition ?? -1,
        direction,
      },
      (reply) => {
        if (reply.problem) {
          this.status.classList.add('ktl-error-text');
          setText(this.status, reply.problem.message);
          return;
        }
        if (reply.position === null) {
          setText(this.status, 'No match');
          return;
        }
        this.status.dataset.position = String(reply.position);
        setText(this.status, `row ${reply.position + 1}`);
        this.table.selectPosition(reply.position);
      },
      (message) => setText(this.status, message),
    );
  }
}
