/**
 * CodeLens on functions with hits: "312 hits · 2 probes"; a click shows those events in the
 * trace editor's table (kernelTrace.showEvents).
 */
import * as vscode from 'vscode';
import { functionLabel, type FunctionHits } from './model';
import type { HitsStore } from './store';

/** How far above a hit the function's name line is looked for (kernel functions are rarely longer). */
const MAX_SCAN_LINES = 3000;

export const SHOW_EVENTS_COMMAND = 'kernelTrace.showEvents';

export class HitsCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changeEmitter.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly store: HitsStore) {
    this.sub = store.onDidChange(() => this.changeEmitter.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const rel = this.store.relativePath(document.uri);
    const model = this.store.model;
    if (rel === undefined || !model) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const f of model.functions(rel, (line) => enclosingFunction(document, line))) {
      const line = declarationLine(document, f);
      if (line === undefined) continue;
      const range = document.lineAt(line - 1).range;
      lenses.push(
        new vscode.CodeLens(range, {
          title: functionLabel(f),
          tooltip: `Show these events of ${f.function} in the trace: ${f.events.join(', ')}`,
          command: SHOW_EVENTS_COMMAND,
          arguments: [{ events: f.events, what: f.function }],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.sub.dispose();
    this.changeEmitter.dispose();
  }
}

/**
 * The line of the function's name (1-based): kernel style starts definitions at column 0, so
 * the nearest line at or above the first hit that starts at column 0 and names the function
 * followed by `(`. Falls back to the first hit line.
 */
export function declarationLine(document: vscode.TextDocument, f: FunctionHits): number | undefined {
  const first = f.lines[0];
  if (first === undefined || first > document.lineCount) return undefined;
  const name = f.function.replace(/[^A-Za-z0-9_]/g, '');
  const re = new RegExp(`^(?=[A-Za-z_])(?:.*[^A-Za-z0-9_])?${name}\\s*\\(`);
  for (let l = first; l >= Math.max(1, first - MAX_SCAN_LINES); l--) {
    if (re.test(document.lineAt(l - 1).text)) return l;
  }
  return first;
}

/** A kernel-style definition line: starts at column 0, names something followed by `(`, no `;`. */
const DEFINITION_LINE = /^(?=[A-Za-z_])(?:[^;=]*?[^A-Za-z0-9_;=])?([A-Za-z_][A-Za-z0-9_]*)\s*\([^;]*$/;
/** Column-0 words that open a line with `(` but are not function definitions. */
const NOT_A_FUNCTION = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'EXPORT_SYMBOL', 'EXPORT_SYMBOL_GPL', 'module_init', 'module_exit']);

/**
 * The function whose body holds `line` (1-based), by kernel style: scanning up, a `}` at
 * column 0 first means the line is outside any function; a definition line first names it.
 */
export function enclosingFunction(document: vscode.TextDocument, line: number): string | undefined {
  for (let l = Math.min(line, document.lineCount); l >= Math.max(1, line - MAX_SCAN_LINES); l--) {
    const text = document.lineAt(l - 1).text;
    if (l < line && text.startsWith('}')) return undefined;
    const m = DEFINITION_LINE.exec(text);
    if (m && !NOT_A_FUNCTION.has(m[1] as string)) return m[1] as string;
  }
  return undefined;
}
