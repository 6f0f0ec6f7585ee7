/**
 * The workspace's `.vscode/kernel-trace.json` (schemas/kernel-trace.schema.json), read for the
 * folder a trace belongs to. Here: its reader options (the printf pattern), which detection and
 * the reader get before the first byte is parsed. A broken file is reported with every problem
 * and its JSON path, and the trace is read without the options rather than not at all.
 */
import * as vscode from 'vscode';
import type { ReaderOptions } from '../core/formats/reader-options';
import { ModelError } from '../core/analysis/lifecycle-model';
import { parseReaderOptions } from '../core/analysis/workspace-config';

export const CONFIG_PATH = ['.vscode', 'kernel-trace.json'] as const;

/** The config file that applies to `uri`: in its workspace folder, else in the first folder. */
export function configUriFor(uri: vscode.Uri): vscode.Uri | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, ...CONFIG_PATH) : undefined;
}

/** The config file's text, or undefined when there is none. */
export async function readConfigText(config: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(config));
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
    throw err;
  }
}

/**
 * Reader options for the trace at `uri`; problems are shown to the user and yield no options.
 * Not in an untrusted workspace: the pattern is a regular expression the workspace's author
 * wrote, run over every line (as workspace-models.ts does for the lifecycle models).
 */
export async function readerOptionsFor(uri: vscode.Uri): Promise<ReaderOptions> {
  const config = configUriFor(uri);
  if (!config || !vscode.workspace.isTrusted) return {};
  let text: string | undefined;
  try {
    text = await readConfigText(config);
  } catch (err) {
    void vscode.window.showWarningMessage(`Kernel Trace Lens: cannot read ${config.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    return {};
  }
  if (text === undefined) return {};
  try {
    return parseReaderOptions(text, vscode.workspace.asRelativePath(config));
  } catch (err) {
    if (!(err instanceof ModelError)) throw err;
    void vscode.window.showWarningMessage(`Kernel Trace Lens: ${err.message.split('\n').join(' ')} — ${uri.path.split('/').pop() ?? ''} is read without its reader options.`);
    return {};
  }
}
