/**
 * Before/after hits on source lines while a comparison is shown: an end-of-line note
 * `5 → 0 hits` on each line whose count the comparison knows, and a hover naming both traces.
 * Trace names are untrusted: the hover escapes them (escapeMd).
 */
import * as vscode from 'vscode';
import { relativeToRoot } from '../source-settings';
import { beforeAfter, type CompareStore } from './store';
import { escapeMd } from '../markdown-text';

export class CompareAnnotations implements vscode.Disposable, vscode.HoverProvider {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground') },
  });
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly store: CompareStore) {
    this.subs.push(
      store.onDidChange(() => this.refresh()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refresh()),
    );
  }

  private linesOf(doc: vscode.TextDocument): Map<number, { a: number; b: number }> | null {
    const root = this.store.comparison?.root;
    if (!root || doc.uri.scheme !== 'file') return null;
    const rel = relativeToRoot(root, doc.uri.fsPath);
    return rel === undefined ? null : this.store.lines(rel);
  }

  refresh(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const lines = this.linesOf(editor.document);
      const decorations: vscode.DecorationOptions[] = [];
      for (const [line, c] of lines ?? []) {
        if (line < 1 || line > editor.document.lineCount) continue;
        const end = editor.document.lineAt(line - 1).range.end;
        decorations.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: beforeAfter(c.a, c.b) } } });
      }
      editor.setDecorations(this.type, decorations);
    }
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const c = this.linesOf(doc)?.get(pos.line + 1);
    const cmp = this.store.comparison;
    if (!c || !cmp) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**Before → after:** ${beforeAfter(c.a, c.b)}  \n`);
    md.appendMarkdown(`${escapeMd(cmp.diff.a.name)} → ${escapeMd(cmp.diff.b.name)}`);
    return new vscode.Hover(md);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.type.dispose();
  }
}
