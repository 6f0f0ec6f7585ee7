/**
 * The one place that decides where our actions open things. The trace editor stays in the
 * group the user put it in; trace text at a line, a kernel source line, a probe script and a
 * capture's packet all go to ONE side group beside the last active trace editor, created once
 * and reused (remembered per trace editor panel). Every `showTextDocument` / `openWith` /
 * `panel.reveal` of the extension goes through here.
 */
import * as vscode from 'vscode';
import { inSideGroupOf, sideColumn } from './side-column';

class SideGroup {
  /** The trace editor panel most recently active (Probe This Line, the hits tree … open beside it). */
  private current: vscode.WebviewPanel | undefined;
  private readonly remembered = new WeakMap<vscode.WebviewPanel, vscode.ViewColumn>();

  /** A trace editor panel became active (or was created active). */
  noteTraceEditor(panel: vscode.WebviewPanel): void {
    // A capture we opened in the side group is a trace editor too; it does not become the one
    // things open beside (that would make a third group): the base stays.
    if (this.inSideGroupOfBase(panel)) return;
    this.current = panel;
  }

  /** `panel` sits in the side group of the current base trace editor (another panel). */
  private inSideGroupOfBase(panel: vscode.WebviewPanel): boolean {
    const base = this.current;
    return base !== undefined && base !== panel && inSideGroupOf(panel.viewColumn, base.viewColumn, this.remembered.get(base));
  }

  /** A trace editor panel was closed. */
  forget(panel: vscode.WebviewPanel): void {
    if (this.current === panel) this.current = undefined;
  }

  /** The column beside `panel` (default: the last active trace editor); Beside when no trace editor is open. */
  column(panel: vscode.WebviewPanel | undefined = this.current): vscode.ViewColumn {
    // What an editor in the side group opens stays in the side group.
    if (panel && panel.viewColumn !== undefined && this.inSideGroupOfBase(panel)) return panel.viewColumn;
    const traceColumn = panel?.viewColumn;
    const open = vscode.window.tabGroups.all.map((g) => g.viewColumn);
    const col = sideColumn(traceColumn, panel ? this.remembered.get(panel) : undefined, open);
    if (col === null || !panel) return vscode.ViewColumn.Beside;
    this.remembered.set(panel, col);
    return col;
  }

  /** Shows `target` in the side group with the cursor at `line` (1-based; none: where it was). */
  async showText(target: vscode.Uri | vscode.TextDocument, opts: { line?: number; preview?: boolean; panel?: vscode.WebviewPanel } = {}): Promise<vscode.TextEditor> {
    const doc = target instanceof vscode.Uri ? await vscode.workspace.openTextDocument(target) : target;
    let selection: vscode.Range | undefined;
    if (opts.line !== undefined) {
      const pos = new vscode.Position(Math.max(0, Math.min(opts.line - 1, doc.lineCount - 1)), 0);
      selection = new vscode.Range(pos, pos);
    }
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: this.column(opts.panel), selection, preview: opts.preview ?? true });
    if (selection) editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return editor;
  }

  /**
   * Opens `uri` with the custom editor `viewType` in the side group (of `panel`, default: the
   * last active trace editor); with no trace editor known, in `fallbackColumn` when given.
   */
  async openWith(uri: vscode.Uri, viewType: string, opts: { panel?: vscode.WebviewPanel; preserveFocus?: boolean; fallbackColumn?: vscode.ViewColumn } = {}): Promise<void> {
    const base = opts.panel ?? this.current;
    const viewColumn = base === undefined && opts.fallbackColumn !== undefined ? opts.fallbackColumn : this.column(base);
    await vscode.commands.executeCommand('vscode.openWith', uri, viewType, { viewColumn, preview: false, preserveFocus: opts.preserveFocus ?? false });
  }
}

/** The extension's one side group. */
export const sideGroup = new SideGroup();

/** Brings a trace editor forward in ITS OWN group (`reveal(undefined)` would move it into the active one). */
export function revealInPlace(panel: vscode.WebviewPanel, preserveFocus = false): void {
  panel.reveal(panel.viewColumn, preserveFocus);
}
