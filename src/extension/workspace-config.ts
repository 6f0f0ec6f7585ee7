/**
 * The workspace's `.vscode/kernel-trace.json` (schemas/kernel-trace.schema.json), read for the
 * folder a trace belongs to, for its two uses:
 * - reader options (the printf pattern), which detection and the reader get before the first
 *   byte is parsed; a broken file is reported with every problem and its JSON path, and the
 *   trace is read without the options rather than not at all;
 * - lifecycle models, passed as text to the trace's worker, which validates and compiles them
 *   so a schema error reaches the lifecycles view with its JSON path.
 * Neither in an untrusted workspace: both hold regular expressions the worker runs over every
 * line or event, and an untrusted folder's could be made to never finish.
 */
import * as vscode from 'vscode';
import type { ReaderOptions } from '../core/formats/reader-options';
import type { WorkspaceModels } from '../protocol/worker-messages';
import { ModelError } from '../core/config/kernel-trace-json';
import { parseReaderOptions } from '../core/config/workspace-config';

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

/** Reader options for the trace at `uri`; problems are shown to the user and yield no options. */
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

/** The models file's text for the trace at `traceUri`; null when there is none or it cannot be read. */
export async function readWorkspaceModels(traceUri: vscode.Uri): Promise<WorkspaceModels | null> {
  const config = configUriFor(traceUri);
  if (!config || !vscode.workspace.isTrusted) return null;
  const text = await readConfigText(config).catch(() => undefined);
  return text === undefined ? null : { path: vscode.workspace.asRelativePath(config, false), text };
}
