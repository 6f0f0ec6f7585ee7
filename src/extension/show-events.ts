/**
 * From source to trace: "Kernel Trace: Show Events for This Line" (and the CodeLens click)
 * reveals the annotated trace's editor with its table filtered to the events mapped to the
 * line (or function). Arguments for other callers (the timeline): `{ uri, line }` with a
 * 1-based line, or `(uri, line)`; `kernelTrace.showEvents` takes `{ events }` (hit event keys).
 */
import * as vscode from 'vscode';
import { eventFilter, plural } from './hits/model';
import type { HitsStore } from './hits/store';
import type { TraceEditorProvider } from './trace-editor';

export interface LineArgs {
  readonly uri?: vscode.Uri | string;
  readonly line?: number;
}

function asUri(v: unknown): vscode.Uri | undefined {
  if (v instanceof vscode.Uri) return v;
  if (typeof v === 'string') {
    try {
      return vscode.Uri.parse(v, true);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The (document, 1-based line) a command is about: its arguments, else the active editor's cursor. */
export function targetLine(a?: unknown, b?: unknown): { uri: vscode.Uri; line: number } | undefined {
  if (a instanceof vscode.Uri || typeof a === 'string') {
    const uri = asUri(a);
    const editor = vscode.window.activeTextEditor;
    const line = typeof b === 'number' ? b : editor && editor.document.uri.toString() === uri?.toString() ? editor.selection.active.line + 1 : undefined;
    return uri && line !== undefined && Number.isSafeInteger(line) && line >= 1 ? { uri, line } : undefined;
  }
  if (typeof a === 'object' && a !== null && 'uri' in a) {
    const args = a as LineArgs;
    return targetLine(args.uri, args.line);
  }
  const editor = vscode.window.activeTextEditor;
  return editor ? { uri: editor.document.uri, line: editor.selection.active.line + 1 } : undefined;
}

export function registerShowEvents(store: HitsStore, editors: TraceEditorProvider): vscode.Disposable[] {
  const show = async (events: readonly string[], what: string): Promise<void> => {
    const doc = store.activeDocument;
    if (!doc) {
      void vscode.window.showInformationMessage('Kernel Trace: no trace is loaded.');
      return;
    }
    const { filter, exact } = eventFilter(events);
    if (!editors.showFilter(doc, filter)) {
      void vscode.window.showWarningMessage(`Kernel Trace: the editor of ${store.traceName ?? 'the trace'} is closed.`);
      return;
    }
    if (!exact) {
      void vscode.window.showInformationMessage(
        `Kernel Trace: function-tracer events are filtered by event "function" and the function name as text, so lines naming ${what} as the caller show too.`,
      );
    }
  };

  return [
    vscode.commands.registerCommand('kernelTrace.showEventsForLine', async (a?: unknown, b?: unknown) => {
      const t = targetLine(a, b);
      if (!t) {
        void vscode.window.showInformationMessage('Kernel Trace: put the cursor on a source line first.');
        return;
      }
      const rel = store.relativePath(t.uri);
      if (rel === undefined) {
        const root = store.root;
        void vscode.window.showInformationMessage(
          root ? `Kernel Trace: this file is not under the source root ${root.path}.` : 'Kernel Trace: no trace with hits on source lines is loaded.',
        );
        return;
      }
      const lh = store.model?.at(rel, t.line);
      if (!lh) {
        void vscode.window.showInformationMessage(`Kernel Trace: no event of ${store.traceName ?? 'the trace'} maps to ${rel}:${t.line}.`);
        return;
      }
      await show(
        lh.entries.map((e) => e.event),
        `${rel}:${t.line}`,
      );
    }),
    vscode.commands.registerCommand('kernelTrace.showEvents', async (arg?: unknown) => {
      const events = typeof arg === 'object' && arg !== null && Array.isArray((arg as { events?: unknown }).events) ? (arg as { events: unknown[] }).events.filter((e): e is string => typeof e === 'string') : [];
      const what = typeof arg === 'object' && arg !== null && typeof (arg as { what?: unknown }).what === 'string' ? (arg as { what: string }).what : plural(events.length, 'event');
      if (events.length === 0) return;
      await show(events, what);
    }),
  ];
}
