/**
 * "Kernel Trace: Compare with…" and "Kernel Trace: Export…" on the trace or capture of the
 * editor used last (palette, editor title, Explorer context). Both run in that trace's worker:
 * the other file of a comparison is read there and closed after, an export is written there a
 * batch at a time. The comparison goes to the panel beside the editor, to the gutter and hover
 * of source lines (before → after hits) and to the Kernel Trace view (lines that changed most).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HitsStore } from '../hits/store';
import { sourceConfig, sourceRoot } from '../source-settings';
import { readerOptionsFor } from '../workspace-config';
import type { CompareStore } from './store';
import type { ComparePanel } from './panel';
import { EXPORT_FORMATS, type ExportFormat } from '../../core/analysis/export/formats';
import type { TraceDocument } from '../trace-document';

const EXPORT_INFO: Record<ExportFormat, { label: string; detail: string; ext: string; filter: string }> = {
  perfetto: { label: 'Perfetto / Chrome trace (JSON)', detail: 'Opens in ui.perfetto.dev and chrome://tracing: CPU and task tracks, lifecycle flows', ext: 'json', filter: 'Trace Event JSON' },
  parquet: { label: 'Parquet', detail: 'One row per event, for DuckDB, Spark, Polars, BigQuery; .meta/.findings tables beside it', ext: 'parquet', filter: 'Parquet' },
  jsonl: { label: 'JSON Lines', detail: 'One JSON object per event, as `ktl events --json` prints', ext: 'jsonl', filter: 'JSON Lines' },
};

function loadedDocument(store: HitsStore): TraceDocument | undefined {
  const doc = store.activeDocument;
  if (!doc || doc.loadState.kind !== 'loaded') {
    void vscode.window.showErrorMessage('Kernel Trace: open a trace or capture in the Kernel Trace Lens editor first (and let it finish loading).');
    return undefined;
  }
  return doc;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function registerCompare(context: vscode.ExtensionContext, store: HitsStore, compare: CompareStore, panel: ComparePanel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kernelTrace.compareWith', async (uri?: unknown) => {
      const doc = loadedDocument(store);
      if (!doc) return;
      // From the Explorer: the file clicked is the other one (unless it is this trace itself).
      let other = uri instanceof vscode.Uri && uri.scheme === 'file' && uri.toString() !== doc.uri.toString() ? uri : undefined;
      if (!other) {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          openLabel: 'Compare',
          title: `Compare ${path.basename(doc.uri.fsPath)} (before) with… (after)`,
          defaultUri: vscode.Uri.file(path.dirname(doc.uri.fsPath)),
        });
        other = picked?.[0];
      }
      if (!other) return;
      const root = sourceRoot();
      const source = root ? sourceConfig(context, root) : null;
      const b = other;
      try {
        const diff = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Comparing with ${path.basename(b.fsPath)}` }, async () =>
          doc.compare(b, await readerOptionsFor(b), source),
        );
        const c = { diff, root: root?.path ?? null };
        compare.set(c);
        panel.show(c);
      } catch (err) {
        void vscode.window.showErrorMessage(`Kernel Trace: cannot compare: ${message(err)}`);
      }
    }),
    vscode.commands.registerCommand('kernelTrace.clearComparison', () => compare.set(null)),
    vscode.commands.registerCommand('kernelTrace.export', async () => {
      const doc = loadedDocument(store);
      if (!doc) return;
      const pick = await vscode.window.showQuickPick(
        EXPORT_FORMATS.map((f) => ({ label: EXPORT_INFO[f].label, detail: EXPORT_INFO[f].detail, format: f })),
        { placeHolder: `Export ${path.basename(doc.uri.fsPath)} as…` },
      );
      if (!pick) return;
      const info = EXPORT_INFO[pick.format];
      const base = path.basename(doc.uri.fsPath).replace(/\.[^.]*$/, '');
      const out = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(path.join(path.dirname(doc.uri.fsPath), `${base}.${info.ext}`)), filters: { [info.filter]: [info.ext] } });
      if (!out || out.scheme !== 'file') return;
      const root = sourceRoot();
      const source = pick.format === 'parquet' && root ? sourceConfig(context, root) : null;
      try {
        const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${path.basename(doc.uri.fsPath)} (${pick.format})` }, () => doc.export(pick.format, out, source));
        void vscode.window.showInformationMessage(`Kernel Trace: exported ${r.events} events to ${r.files.map((f) => path.basename(f)).join(', ')}.`);
      } catch (err) {
        void vscode.window.showErrorMessage(`Kernel Trace: export failed: ${message(err)}`);
      }
    }),
  ];
}
