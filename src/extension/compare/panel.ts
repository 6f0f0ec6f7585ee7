/**
 * The Compare with… panel: one webview panel (reused for the next comparison) beside the trace
 * editor. Where it opens is decided in `openBeside` only, so the editor's one reused side group
 * can take it over in one place.
 */
import * as vscode from 'vscode';
import { webviewHtml } from '../webview-html';
import { isCompareFromWebview, type CompareToWebview } from '../../protocol/compare-messages';
import type { Comparison } from './store';
import { OPEN_SITE_COMMAND } from '../hits/tree';
import { revealInPlace, sideGroup } from '../side-group';

export const COMPARE_VIEW_TYPE = 'kernelTrace.compare';

/** Where the comparison opens: the one reused side group beside the last active trace editor (side-group.ts). */
function openBeside(title: string, extensionUri: vscode.Uri): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, title, { viewColumn: sideGroup.column(), preserveFocus: false }, {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  });
}

export class ComparePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | null = null;
  private current: Comparison | null = null;

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(c: Comparison): void {
    this.current = c;
    const title = `${c.diff.a.name} ↔ ${c.diff.b.name}`;
    if (this.panel) {
      this.panel.title = title;
      revealInPlace(this.panel);
      this.post();
      return;
    }
    const panel = openBeside(title, this.extensionUri);
    this.panel = panel;
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'compare');
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!isCompareFromWebview(m)) return;
      if (m.type === 'ready') this.post();
      else void vscode.commands.executeCommand(OPEN_SITE_COMMAND, m.file, m.line);
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = null;
    });
  }

  private post(): void {
    if (!this.panel || !this.current) return;
    const msg: CompareToWebview = { type: 'diff', diff: this.current.diff, hasSource: this.current.root !== null };
    void this.panel.webview.postMessage(msg);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
