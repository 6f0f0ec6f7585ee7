/**
 * The read-only custom editor for traces. The webview asks for pages of rows; this provider
 * checks every message (protocol/guards), forwards page requests to the document's worker,
 * and never sends the whole trace.
 */
import * as vscode from 'vscode';
import { MAX_PAGE_ROWS, type HostToWebview } from '../protocol/messages';
import { isWebviewToHost } from '../protocol/guards';
import { TraceDocument } from './trace-document';
import { webviewHtml } from './webview-html';

export const TRACE_VIEW_TYPE = 'kernelTrace.traceEditor';
export const TRACE_TEXT_VIEW_TYPE = 'kernelTrace.traceEditor.text';

export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  constructor(private readonly context: vscode.ExtensionContext) {}

  openCustomDocument(uri: vscode.Uri): TraceDocument {
    return new TraceDocument(uri, this.context.extensionUri);
  }

  resolveCustomEditor(document: TraceDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    const extUri = this.context.extensionUri;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extUri, 'dist'), vscode.Uri.joinPath(extUri, 'media')],
    };
    webview.html = webviewHtml(webview, extUri);

    const post = (msg: HostToWebview): void => {
      void webview.postMessage(msg);
    };
    let ready = false;
    const sendState = (): void => {
      if (!ready) return;
      const s = document.loadState;
      if (s.kind === 'loading') post({ type: 'progress', bytesRead: s.bytesRead, totalBytes: s.totalBytes });
      else if (s.kind === 'loaded') post({ type: 'summary', summary: s.summary });
      else post({ type: 'loadError', message: s.message });
    };

    const subs: vscode.Disposable[] = [
      document.onDidChangeState(sendState),
      webview.onDidReceiveMessage(async (raw: unknown) => {
        if (!isWebviewToHost(raw)) return; // a webview is a web page: ignore anything malformed
        switch (raw.type) {
          case 'ready':
            ready = true;
            sendState();
            break;
          case 'rows':
            try {
              const r = await document.rows(raw.start, Math.min(raw.count, MAX_PAGE_ROWS), raw.filter);
              post({ type: 'rows', requestId: raw.requestId, total: r.total, start: r.start, rows: r.rows });
            } catch (err) {
              post({ type: 'requestError', requestId: raw.requestId, message: err instanceof Error ? err.message : String(err) });
            }
            break;
          case 'revealLine':
            await revealLine(document.uri, raw.line);
            break;
          case 'timeline':
          case 'timelineRange':
          case 'eventAt':
            try {
              post(await document.timeline(raw));
            } catch (err) {
              post({ type: 'requestError', requestId: raw.requestId, message: err instanceof Error ? err.message : String(err) });
            }
            break;
        }
      }),
    ];
    panel.onDidDispose(() => subs.forEach((d) => d.dispose()));
  }
}

/** Opens the trace as text beside the editor with the cursor on `line` (1-based). */
async function revealLine(uri: vscode.Uri, line: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const pos = new vscode.Position(Math.min(line - 1, doc.lineCount - 1), 0);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos), preview: true });
}
