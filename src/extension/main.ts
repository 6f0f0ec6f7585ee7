/**
 * Extension entry. Activation is derived from `contributes` (custom editors, commands), so
 * nothing here runs until a trace is opened or a Kernel Trace command is used.
 */
import * as vscode from 'vscode';
import { TraceEditorProvider, TRACE_VIEW_TYPE, TRACE_TEXT_VIEW_TYPE } from './trace-editor';

export function activate(context: vscode.ExtensionContext): void {
  const provider = new TraceEditorProvider(context);
  const options = { webviewOptions: { retainContextWhenHidden: false }, supportsMultipleEditorsPerDocument: true };
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(TRACE_VIEW_TYPE, provider, options),
    vscode.window.registerCustomEditorProvider(TRACE_TEXT_VIEW_TYPE, provider, options),
    vscode.commands.registerCommand('kernelTrace.openAsTrace', async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showErrorMessage('Kernel Trace: open a file (or pick one in the Explorer) to open it as a trace.');
        return;
      }
      await vscode.commands.executeCommand('vscode.openWith', target, TRACE_VIEW_TYPE);
    }),
  );
}

export function deactivate(): void {}
