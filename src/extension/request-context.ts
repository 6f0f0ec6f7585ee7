/**
 * What a forwarded webview request needs from the workspace that the worker cannot read (it
 * has no vscode API): the kernel-trace.json for lifecycle requests, the other captures for
 * findings and journeys. Every other kind needs nothing.
 */
import type * as vscode from 'vscode';
import type { WebviewRequest } from '../protocol/messages';
import type { RequestContext } from '../protocol/worker-messages';
import { readWorkspaceModels } from './workspace-config';
import { captureName, otherCaptures } from './capture-files';

export async function requestContext(request: WebviewRequest, uri: vscode.Uri): Promise<RequestContext> {
  switch (request.type) {
    case 'lifecycleModels':
    case 'lifecycle':
    case 'lifecycleLanes':
    case 'flightRecorder':
    case 'interleave':
      return { models: await readWorkspaceModels(uri) };
    case 'findings':
      return { captures: await otherCaptures(uri) };
    case 'journey':
      return { captures: await otherCaptures(uri), name: captureName(uri) };
    default:
      return {};
  }
}
