/**
 * The workspace's lifecycle models file, `.vscode/kernel-trace.json` (schema:
 * schemas/kernel-trace.schema.json, contributed through jsonValidation). The extension host
 * only reads it; the trace's worker validates and compiles it, so a schema error reaches the
 * lifecycles view with its JSON path.
 */
import * as vscode from 'vscode';
import type { WorkspaceModels } from '../protocol/worker-messages';

export const MODELS_FILE = '.vscode/kernel-trace.json';

/**
 * The models file of the folder holding `traceUri` (else the first folder); null when there is
 * none, or when the workspace is not trusted: a model's patterns are regular expressions the
 * worker runs over every event, and an untrusted folder's could be made to never finish.
 */
export async function readWorkspaceModels(traceUri: vscode.Uri): Promise<WorkspaceModels | null> {
  if (!vscode.workspace.isTrusted) return null;
  const folder = vscode.workspace.getWorkspaceFolder(traceUri) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) return null;
  const uri = vscode.Uri.joinPath(folder.uri, ...MODELS_FILE.split('/'));
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    return null;
  }
  return { path: vscode.workspace.asRelativePath(uri, false), text: new TextDecoder().decode(bytes) };
}
