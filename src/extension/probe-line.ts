/**
 * "Kernel Trace: Probe This Line": the cursor line of a C file under the source root -> the
 * source worker's probe script (perf probe -L/-V/-a, tracefs enable/disable, perf record,
 * cleanup) -> a new untitled shell-script editor, warnings at the top. "Send to Terminal"
 * then runs it, after a modal confirmation, and never in an untrusted workspace.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { unsavedNote, withNotes } from '../core/probes/line-probe';
import { scriptLine } from '../core/probes/shell';
import { sideGroup } from './side-group';
import type { SourceWorker } from './source-worker';
import { relativeToRoot, sourceConfig, sourceRoot, sourceRootSetting } from './source-settings';

/** Untitled documents we generated -> the event they add, for Send to Terminal. */
const scripts = new WeakMap<vscode.TextDocument, { event: string; where: string }>();

export function registerProbeLine(context: vscode.ExtensionContext, worker: SourceWorker): vscode.Disposable[] {
  const probeThisLine = async (): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme !== 'file' || !/\.(c|h)$/.test(editor.document.uri.fsPath)) {
      void vscode.window.showInformationMessage('Kernel Trace: put the cursor on a line of a C file of the kernel source first.');
      return;
    }
    const root = sourceRoot();
    if (!root) {
      const raw = sourceRootSetting();
      void vscode.window.showErrorMessage(
        raw ? `Kernel Trace: kernelTrace.sourceRoot (${raw}) is not a folder.` : 'Kernel Trace: open the kernel tree as the workspace, or set kernelTrace.sourceRoot.',
      );
      return;
    }
    const rel = relativeToRoot(root.path, editor.document.uri.fsPath);
    if (rel === undefined) {
      void vscode.window.showErrorMessage(`Kernel Trace: ${path.basename(editor.document.uri.fsPath)} is not under the kernel source root ${root.path} (kernelTrace.sourceRoot).`);
      return;
    }
    const line = editor.selection.active.line + 1;
    let reply;
    try {
      reply = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Kernel Trace: probe for ${rel}:${line}` }, () =>
        worker.probeLine(sourceConfig(context, root), rel, line),
      );
    } catch (err) {
      void vscode.window.showErrorMessage(`Kernel Trace: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const notes = editor.document.isDirty ? [unsavedNote(rel)] : [];
    const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: withNotes(reply.script, notes) });
    scripts.set(doc, { event: reply.event, where: `${rel}:${line}` });
    await sideGroup.showText(doc, { preview: false });
    const warn = reply.warnings.length > 0 ? ` ${reply.warnings.length} warning${reply.warnings.length === 1 ? '' : 's'} at the top of the script.` : '';
    void vscode.window
      .showInformationMessage(`Kernel Trace: probe script for ${rel}:${line} (event probe:${reply.event}).${warn}`, 'Send to Terminal')
      .then((choice) => (choice === 'Send to Terminal' ? sendToTerminal(context, doc) : undefined));
  };

  return [
    vscode.commands.registerCommand('kernelTrace.probeThisLine', probeThisLine),
    vscode.commands.registerCommand('kernelTrace.sendProbeToTerminal', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !scripts.has(doc)) {
        void vscode.window.showInformationMessage('Kernel Trace: open a script made by "Kernel Trace: Probe This Line" first.');
        return;
      }
      await sendToTerminal(context, doc);
    }),
  ];
}

async function sendToTerminal(context: vscode.ExtensionContext, doc: vscode.TextDocument): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(
      'Kernel Trace: this workspace is not trusted, so nothing is run. Read the script and run its commands yourself, or trust the workspace.',
    );
    return;
  }
  const info = scripts.get(doc);
  if (!info || doc.isClosed) {
    void vscode.window.showErrorMessage('Kernel Trace: the probe script editor was closed.');
    return;
  }
  const answer = await vscode.window.showWarningMessage(
    `Run the probe script for ${info.where} in a terminal?`,
    {
      modal: true,
      detail:
        `It runs the script as it is now in the editor (including your edits), with sh -x in a new terminal: ` +
        `it adds the kernel probe probe:${info.event} with perf probe, enables it in tracefs and records it. ` +
        `This changes the running kernel's tracing state and needs root. Read the script first.`,
    },
    'Run in Terminal',
  );
  if (answer !== 'Run in Terminal') return;
  // A file, not sendText of the lines: `set -e` typed into an interactive shell would close it
  // on the first failing command.
  const dir = path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'probe-scripts');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${info.event.replace(/[^A-Za-z0-9_]/g, '_')}-${Date.now()}.sh`);
  await writeFile(file, doc.getText(), { mode: 0o600 });
  const terminal = vscode.window.createTerminal({ name: `Kernel Trace: ${info.event}` });
  terminal.show();
  terminal.sendText(scriptLine({ words: ['sh', '-x', file] }), true);
}
