/**
 * The filter bar's expression box (README "Filter expressions"): what is typed is checked by
 * the worker (`checkQuery`, the same compiler the filter runs) after a pause or on Enter; a valid
 * expression becomes the filter's `expr`, an invalid one stays out of the filter and its error is
 * shown under the box with the character it points at marked (`len > ` -> column 7, past the end).
 */
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { QueryProblem } from '../src/protocol/messages';
import { el, setText } from './dom';
import { TEXT_DEBOUNCE_MS, type FilterModel } from './filters';
import { Latest, type Rpc } from './rpc';

export class ExprBox {
  readonly element = el('div', 'ktl-expr');
  private readonly input = el('vscode-textfield') as VscodeTextfield;
  private readonly problem = el('div', 'ktl-expr-problem');
  private readonly check: Latest<'checkQuery'>;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    rpc: Rpc,
    private readonly model: FilterModel,
  ) {
    this.check = new Latest<'checkQuery'>(rpc);
    this.input.id = 'filter-expr';
    this.input.placeholder = 'Filter: len > 64 && comm ~ "ping*"';
    this.input.setAttribute('aria-label', 'Filter expression (ftrace event fields, Wireshark packet fields)');
    this.input.setAttribute('aria-describedby', 'filter-expr-problem');
    this.problem.id = 'filter-expr-problem';
    this.problem.setAttribute('role', 'alert');
    this.problem.hidden = true;
    this.input.addEventListener('input', () => {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.submit(), TEXT_DEBOUNCE_MS);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.submit();
    });
    this.element.append(this.input, this.problem);
    model.onChange((f) => this.show(f.expr));
    this.show(model.current.expr);
  }

  /** Mirrors the model (restored state, a named filter applied, Clear) unless the user is typing. */
  private show(expr: string): void {
    if (this.timer !== undefined || this.input.value === expr) return;
    this.input.value = expr;
    this.showProblem(expr, null);
  }

  private submit(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const text = this.input.value;
    if (text.trim() === '') {
      this.check.cancel();
      this.showProblem(text, null);
      this.model.setExpr('');
      return;
    }
    this.check.send(
      { type: 'checkQuery', expr: text },
      (reply) => {
        this.showProblem(text, reply.problem);
        if (!reply.problem) this.model.setExpr(text);
      },
      (message) => this.showProblem(text, { message, column: 0 }),
    );
  }

  /** The problem under the box: the expression with the character at the column marked, then the message. */
  private showProblem(text: string, p: QueryProblem | null): void {
    this.input.invalid = p !== null;
    this.problem.hidden = p === null;
    this.problem.replaceChildren();
    delete this.problem.dataset.column;
    if (!p) return;
    if (p.column >= 1) {
      const at = p.column - 1;
      const line = el('code', 'ktl-expr-line');
      // Past the end (a value missing at the end): a marked blank shows where it was expected.
      line.append(el('span', undefined, text.slice(0, at)), el('mark', 'ktl-expr-at', at < text.length ? text.slice(at, at + 1) : ' '), el('span', undefined, text.slice(at + 1)));
      this.problem.append(line);
      this.problem.dataset.column = String(p.column);
    }
    const msg = el('span', 'ktl-expr-message');
    setText(msg, p.message);
    this.problem.append(msg);
  }

  focus(): void {
    this.input.focus();
  }
}
