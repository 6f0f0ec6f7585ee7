/**
 * "Kernel Trace: Add Capture to Timeline": draws a pcap/pcapng beside the CPU tracks of the
 * trace editor used last (its worker reads the capture and estimates the clock offset; the
 * webview shows the estimate and lets the user set it). From the Explorer's context menu on a
 * capture, or from the palette with a pick of the workspace's captures.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HitsStore } from './hits/store';
import type { TraceEditorProvider } from './trace-editor';

const CAPTURES = '**/*.{pcap,pcapng,cap}';

export function registerCaptureTimeline(store: HitsStore, provider: TraceEditorProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kernelTrace.addCaptureToTimeline', async (uri?: vscode.Uri) => {
      const doc = store.activeDocument;
      const state = doc?.loadState;
      if (!doc || state?.kind !== 'loaded') {
        void vscode.window.showErrorMessage('Kernel Trace: open a trace in the Kernel Trace Lens editor first; the capture is drawn on its timeline.');
        return;
      }
      if (state.summary.format === 'pcap' || state.summary.format === 'pcapng') {
        void vscode.window.showErrorMessage('Kernel Trace: the editor used last shows a capture; open the trace to draw the capture on.');
        return;
      }
      const capture = uri instanceof vscode.Uri ? uri : await pickCapture();
      if (!capture) return;
      try {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${path.basename(capture.fsPath)}` }, () => provider.attachCapture(doc, capture));
      } catch (err) {
        void vscode.window.showErrorMessage(`Kernel Trace: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
  ];
}

async function pickCapture(): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles(CAPTURES, '**/node_modules/**', 500);
  if (files.length === 0) {
    void vscode.window.showErrorMessage('Kernel Trace: no .pcap/.pcapng/.cap file in the workspace.');
    return undefined;
  }
  const items = files.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri }));
  items.sort((a, b) => a.description.localeCompare(b.description));
  return (await vscode.window.showQuickPick(items, { placeHolder: 'Capture to draw on the trace timeline' }))?.uri;
}
