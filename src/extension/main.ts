/**
 * Extension entry. `activationEvents` is empty: activation is derived from `contributes` —
 * opening a trace (custom editors), running a Kernel Trace command, or showing the Kernel
 * Trace view. Nothing activates it just because a C file or a log is opened: a C file has no
 * hits to show until a trace is loaded (which activates the extension), and symbol links in
 * logs and oopses work from the first activation on (any trace opened or command run). The
 * view is hidden (`when: kernelTrace.active`) until then, so an open Explorer does not
 * activate the extension in every workspace.
 */
import { rm } from 'node:fs/promises';
import * as vscode from 'vscode';
import { registerAmbiguity } from './ambiguity';
import { CaptureDiagnostics } from './capture-diagnostics';
import { HitDecorations } from './decorations';
import { HitsCodeLensProvider } from './hits/code-lens';
import { HitsHoverProvider } from './hits/hover';
import { HitsStatus } from './hits/status';
import { HitsStore } from './hits/store';
import { HitsTreeProvider } from './hits/tree';
import { registerProbeLine } from './probe-line';
import { registerCaptureTimeline } from './capture-timeline';
import { registerShowEvents } from './show-events';
import { registerNamedFilters } from './named-filters';
import { SECTION, cacheDirs, workerEnv } from './source-settings';
import { SourceWorker } from './source-worker';
import { LINK_SELECTOR, SymbolLinkProvider, registerOpenDefinitions } from './symbol-links';
import { TraceEditorProvider, TRACE_VIEW_TYPE, TRACE_TEXT_VIEW_TYPE } from './trace-editor';
import { CompareStore } from './compare/store';
import { ComparePanel } from './compare/panel';
import { CompareAnnotations } from './compare/annotations';
import { registerCompare } from './compare/command';
import { Recorder } from './record-command';

let recorder: Recorder | undefined;

/** Source files that can carry hits: kernel C and headers (VS Code calls `.h` cpp). */
const SOURCE_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', language: 'c' },
  { scheme: 'file', language: 'cpp' },
];

export function activate(context: vscode.ExtensionContext): void {
  const env = workerEnv();
  const provider = new TraceEditorProvider(context, () => env);
  const options = { webviewOptions: { retainContextWhenHidden: false }, supportsMultipleEditorsPerDocument: true };
  const store = new HitsStore(context);
  const sourceWorker = new SourceWorker(context.extensionUri, () => env);
  const compare = new CompareStore();
  const comparePanel = new ComparePanel(context.extensionUri);
  const tree = new HitsTreeProvider(store, compare);
  const view = vscode.window.createTreeView('kernelTrace.hits', { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  const lenses = new HitsCodeLensProvider(store);
  // Events clicked in the trace editor open their source line too, when the hits mapping knows it.
  provider.sourceSiteOf = (doc, event) => store.siteOf(doc, event);

  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(TRACE_VIEW_TYPE, provider, options),
    vscode.window.registerCustomEditorProvider(TRACE_TEXT_VIEW_TYPE, provider, options),
    provider.onDidOpenDocument((doc) => store.track(doc)),
    provider.onDidActivateDocument((doc) => store.activate(doc)),
    store,
    sourceWorker,
    tree,
    view,
    lenses,
    new HitDecorations(store, context.extensionUri),
    new HitsStatus(store),
    vscode.languages.registerHoverProvider(SOURCE_SELECTOR, new HitsHoverProvider(store)),
    ...compareAnnotations(compare),
    vscode.languages.registerCodeLensProvider(SOURCE_SELECTOR, lenses),
    vscode.languages.registerDocumentLinkProvider(LINK_SELECTOR, new SymbolLinkProvider(context, sourceWorker)),
    registerOpenDefinitions(),
    ...registerShowEvents(store, provider),
    ...registerNamedFilters(store, provider),
    ...registerCaptureTimeline(store, provider),
    ...registerProbeLine(context, sourceWorker),
    ...registerAmbiguity(store),
    new CaptureDiagnostics(provider),
    compare,
    comparePanel,
    ...registerCompare(context, store, compare, comparePanel),
    ...(recorder = new Recorder(context, provider)).register(),
    vscode.commands.registerCommand('kernelTrace.openAsTrace', async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : activeTabUri();
      if (!target) {
        void vscode.window.showErrorMessage('Kernel Trace: open a file (or pick one in the Explorer) to open it as a trace.');
        return;
      }
      await vscode.commands.executeCommand('vscode.openWith', target, TRACE_VIEW_TYPE);
    }),
    vscode.commands.registerCommand('kernelTrace.rebuildSourceIndex', async () => {
      // The on-disk caches (workspace and global storage), the source worker's memory and
      // every trace worker's (messages to a worker are handled in order: the drop comes
      // before the hits request that follows it).
      for (const dir of cacheDirs(context)) await rm(dir, { recursive: true, force: true });
      sourceWorker.restart();
      store.rebuildAll();
      void vscode.window.showInformationMessage('Kernel Trace: source index cleared; it is rebuilt as traces and commands need it.');
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.sourceRoot`) || e.affectsConfiguration(`${SECTION}.vmlinux`) || e.affectsConfiguration(`${SECTION}.kallsyms`)) store.refreshAll();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => store.refreshAll()),
    // Trusting the workspace brings its kernelTrace.sourceRoot/vmlinux/kallsyms values and addr2line back.
    vscode.workspace.onDidGrantWorkspaceTrust(() => store.refreshAll()),
  );
  void vscode.commands.executeCommand('setContext', 'kernelTrace.active', true);
}

/** A recording running in this process is stopped and cleaned up (its instance removed) before VS Code exits. */
export async function deactivate(): Promise<void> {
  await recorder?.shutdown();
}

/** The file of the active tab, whether a text editor or a custom editor (activeTextEditor misses the latter). */
function activeTabUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

/** Before → after hits on source lines (decorations and a hover) while a comparison is shown. */
function compareAnnotations(compare: CompareStore): vscode.Disposable[] {
  const a = new CompareAnnotations(compare);
  return [a, vscode.languages.registerHoverProvider(SOURCE_SELECTOR, a)];
}
