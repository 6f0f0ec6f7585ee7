/**
 * "Kernel Trace: Apply Named Filter": the `filters` of the workspace's `.vscode/kernel-trace.json`
 * (core/query/named-filters.ts checks them against the schema and parses each expression) as a
 * pick list; the one picked becomes the filter expression of the trace editor used last. In an
 * untrusted workspace too: an expression is data for our own parser (no code, no shell, regular
 * expressions on RE2), but the file is still read only from the workspace folder.
 */
import * as vscode from 'vscode';
import { ModelError } from '../core/config/kernel-trace-json';
import { parseNamedFilters, type NamedFilter } from '../core/query/named-filters';
import type { HitsStore } from './hits/store';
import type { TraceEditorProvider } from './trace-editor';
import { configUriFor, readConfigText } from './workspace-config';

export function registerNamedFilters(store: HitsStore, editors: TraceEditorProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kernelTrace.applyNamedFilter', async () => {
      const doc = store.activeDocument;
      if (!doc) {
        void vscode.window.showInformationMessage('Kernel Trace: open a trace in the Kernel Trace Lens editor first.');
        return;
      }
      const config = configUriFor(doc.uri);
      const text = config ? await readConfigText(config).catch(() => undefined) : undefined;
      if (!config || text === undefined) {
        void vscode.window.showInformationMessage('Kernel Trace: no .vscode/kernel-trace.json with "filters" in this workspace.');
        return;
      }
      let filters: NamedFilter[];
      try {
        filters = parseNamedFilters(text, vscode.workspace.asRelativePath(config));
      } catch (err) {
        if (!(err instanceof ModelError)) throw err;
        void vscode.window.showErrorMessage(`Kernel Trace: ${err.message.split('\n').join(' ')}`);
        return;
      }
      if (filters.length === 0) {
        void vscode.window.showInformationMessage(`Kernel Trace: ${vscode.workspace.asRelativePath(config)} has no "filters".`);
        return;
      }
      const picked = await vscode.window.showQuickPick(
        filters.map((f) => ({ label: f.name, description: f.description ?? '', detail: f.expr, filter: f })),
        { title: 'Apply Named Filter', placeHolder: 'A filter expression from .vscode/kernel-trace.json', matchOnDetail: true },
      );
      if (!picked) return;
      if (!editors.showFilter(doc, { expr: picked.filter.expr })) void vscode.window.showWarningMessage('Kernel Trace: the trace editor is closed.');
    }),
  ];
}
