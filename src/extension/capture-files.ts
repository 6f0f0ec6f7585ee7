/**
 * The captures a packet journey searches: the capture files of the workspace (by name, the
 * worker reads them), at most MAX_JOURNEY_FILES, named by their workspace-relative path.
 */
import * as vscode from 'vscode';
import { MAX_JOURNEY_FILES } from '../protocol/messages';

const CAPTURE_GLOB = '**/*.{pcap,pcapng,cap}';
const EXCLUDE_GLOB = '**/node_modules/**';

/** Workspace-relative name of a file (the name hops are shown under). */
export function captureName(uri: vscode.Uri): string {
  // With several workspace folders the folder name comes first (asRelativePath decides).
  return vscode.workspace.asRelativePath(uri);
}

/** The other local capture files of the workspace (not `self`), sorted by name. */
export async function otherCaptures(self: vscode.Uri): Promise<{ path: string; name: string }[]> {
  const found = await vscode.workspace.findFiles(CAPTURE_GLOB, EXCLUDE_GLOB, MAX_JOURNEY_FILES + 1);
  return found
    .filter((u) => u.scheme === 'file' && u.toString() !== self.toString())
    .map((u) => ({ path: u.fsPath, name: captureName(u) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, MAX_JOURNEY_FILES);
}
