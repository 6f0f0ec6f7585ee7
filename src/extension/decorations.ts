/**
 * Hit counts drawn on source lines: a gutter bar shaded by count (LEVELS SVG levels, a light
 * and a dark variant, media/hit-level-N-{light,dark}.svg; high-contrast themes use the
 * variant of their base), a mark in the overview ruler, and the count after the end of the
 * line (an `after` decoration: injected text, the code does not move). Colours are theme
 * colours declared in package.json `contributes.colors`. Updates are throttled.
 */
import * as vscode from 'vscode';
import { LEVELS, lineLabel } from './hits/model';
import type { HitsStore } from './hits/store';
import { Throttle } from './throttle';

/** Coalesce bursts of editor/hit changes into one redraw per this many ms. */
const UPDATE_INTERVAL_MS = 100;

export class HitDecorations implements vscode.Disposable {
  private readonly types: vscode.TextEditorDecorationType[] = [];
  private readonly throttle = new Throttle(() => this.update(), UPDATE_INTERVAL_MS);
  private readonly subs: vscode.Disposable[] = [];
  /** Editors we decorated last time, to clear the ones that no longer have hits. */
  private decorated = new Set<vscode.TextEditor>();

  constructor(
    private readonly store: HitsStore,
    extensionUri: vscode.Uri,
  ) {
    const icon = (level: number, theme: 'light' | 'dark'): vscode.Uri => vscode.Uri.joinPath(extensionUri, 'media', `hit-level-${level}-${theme}.svg`);
    for (let level = 1; level <= LEVELS; level++) {
      this.types.push(
        vscode.window.createTextEditorDecorationType({
          light: { gutterIconPath: icon(level, 'light') },
          dark: { gutterIconPath: icon(level, 'dark') },
          gutterIconSize: 'contain',
          overviewRulerColor: new vscode.ThemeColor('kernelTrace.hitOverviewRuler'),
          overviewRulerLane: vscode.OverviewRulerLane.Right,
          after: { color: new vscode.ThemeColor('kernelTrace.hitCountForeground'), margin: '0 0 0 2em', fontStyle: 'italic' },
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
    }
    this.subs.push(
      store.onDidChange(() => this.throttle.schedule()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.throttle.schedule()),
      // A document reloaded from disk keeps its editor; redraw so the counts sit at the new line ends.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && vscode.window.visibleTextEditors.some((ed) => ed.document === e.document)) this.throttle.schedule();
      }),
    );
    this.throttle.schedule();
  }

  private update(): void {
    const model = this.store.model;
    const now = new Set<vscode.TextEditor>();
    for (const editor of vscode.window.visibleTextEditors) {
      const rel = this.store.relativePath(editor.document.uri);
      const lines = rel === undefined ? undefined : model?.lines(rel);
      if (!lines || !model) continue;
      const perLevel: vscode.DecorationOptions[][] = this.types.map(() => []);
      const doc = editor.document;
      for (const lh of lines.values()) {
        if (lh.line < 1 || lh.line > doc.lineCount) continue;
        const end = doc.lineAt(lh.line - 1).range.end;
        perLevel[model.level(lh.count) - 1]?.push({
          range: new vscode.Range(end, end),
          renderOptions: {
            after: {
              contentText: lineLabel(lh),
              ...(lh.ambiguous ? { color: new vscode.ThemeColor('kernelTrace.ambiguousHitForeground') } : {}),
            },
          },
        });
      }
      this.types.forEach((t, i) => editor.setDecorations(t, perLevel[i] ?? []));
      now.add(editor);
    }
    // Editors that lost their hits (another trace, another source root); hidden editors are
    // gone with their decorations, and a shown-again editor is a new object.
    const visible = new Set(vscode.window.visibleTextEditors);
    for (const editor of this.decorated) {
      if (!now.has(editor) && visible.has(editor)) for (const t of this.types) editor.setDecorations(t, []);
    }
    this.decorated = now;
  }

  dispose(): void {
    this.throttle.dispose();
    this.subs.forEach((d) => d.dispose());
    this.types.forEach((t) => t.dispose());
  }
}
