/**
 * Hover on a source line with hits: per CPU, per task and per event, the mapping note and
 * the recorded variables' statistics (hover-markdown.ts builds the untrusted Markdown).
 */
import * as vscode from 'vscode';
import type { HitsStore } from './store';
import { lineHover } from '../hover-markdown';
import { vmlinuxPath } from '../source-settings';

export class HitsHoverProvider implements vscode.HoverProvider {
  constructor(private readonly store: HitsStore) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const rel = this.store.relativePath(document.uri);
    const lh = rel === undefined ? undefined : this.store.model?.at(rel, position.line + 1);
    if (!lh) return undefined;
    return new vscode.Hover(lineHover(lh, this.store.traceName ?? 'trace', !vscode.workspace.isTrusted ? 'restricted' : vmlinuxPath() !== undefined ? 'set' : 'unset'), document.lineAt(position.line).range);
  }
}
