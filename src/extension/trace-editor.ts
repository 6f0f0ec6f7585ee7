/**
 * The read-only custom editor for traces. The webview asks for pages of rows, timeline data,
 * packets, lifecycles; this provider checks every message (protocol/guards), answers the ones
 * it owns (ready, reveal line/event, the capture offset) and forwards every request to the
 * document's worker in one envelope, with one error path. It never sends the whole trace.
 */
import * as vscode from 'vscode';
import type { CaptureOverlayInfo, EventFilter, HostToWebview, TraceSummary } from '../protocol/messages';
import { isWebviewToHost } from '../protocol/guards';
import { readerOptionsFor } from './workspace-config';
import { TraceDocument } from './trace-document';
import { webviewHtml } from './webview-html';
import { requestContext } from './request-context';
import { revealInPlace, sideGroup } from './side-group';
import { parseMemorySize } from '../core/trace/memory-budget';

export const TRACE_VIEW_TYPE = 'kernelTrace.traceEditor';
export const TRACE_TEXT_VIEW_TYPE = 'kernelTrace.traceEditor.text';

/** One webview showing a document, with what "Show Events" needs to reach it. */
interface PanelHandle {
  readonly panel: vscode.WebviewPanel;
  /** The page posted `ready` and has not been hidden (a hidden webview's page is discarded) since. */
  ready: boolean;
  /** A filter to apply once the page is ready. */
  pending: EventFilter | undefined;
  lastActive: number;
  readonly post: (msg: HostToWebview) => void;
  /** A packet (event index) to select once the page is ready. */
  pendingPacket?: number;
  /** The summary of a file still being read last posted to the page (posted again only when it changes). */
  sentPartial?: TraceSummary | undefined;
}

export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  private readonly openEmitter = new vscode.EventEmitter<TraceDocument>();
  /** A trace document was created (its load starts at once). */
  readonly onDidOpenDocument = this.openEmitter.event;
  private readonly activeEmitter = new vscode.EventEmitter<TraceDocument>();
  /** One of a document's editors became the active editor. */
  readonly onDidActivateDocument = this.activeEmitter.event;
  private readonly panels = new Map<TraceDocument, PanelHandle[]>();
  /** Where an event of a document maps in the kernel source (set by main.ts from the hits store). */
  sourceSiteOf: (document: TraceDocument, event: string) => { uri: vscode.Uri; line: number } | undefined = () => undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly workerEnv: () => NodeJS.ProcessEnv = () => process.env,
  ) {}

  async openCustomDocument(uri: vscode.Uri): Promise<TraceDocument> {
    const doc = new TraceDocument(uri, this.context.extensionUri, await readerOptionsFor(uri), this.workerEnv(), maxMemorySetting());
    doc.onDidDispose(() => this.panels.delete(doc));
    this.openEmitter.fire(doc);
    return doc;
  }

  /**
   * Reveals the most recently active editor of `document` and sets its table filter (after
   * the page has loaded when it was hidden). False when no editor shows the document.
   */
  showFilter(document: TraceDocument, filter: EventFilter): boolean {
    const handles = this.panels.get(document) ?? [];
    const h = handles.reduce<PanelHandle | undefined>((best, x) => (best === undefined || x.lastActive > best.lastActive ? x : best), undefined);
    if (!h) return false;
    if (h.ready && h.panel.visible) h.post({ type: 'applyFilter', filter });
    else h.pending = filter;
    revealInPlace(h.panel);
    return true;
  }

  /** Draws `capture` on the timeline of every editor of `document`. */
  async attachCapture(document: TraceDocument, capture: vscode.Uri): Promise<void> {
    this.postOverlay(document, await document.attachCapture(capture));
  }

  private postOverlay(document: TraceDocument, overlay: CaptureOverlayInfo | null): void {
    for (const h of this.panels.get(document) ?? []) if (h.ready) h.post({ type: 'captureOverlay', overlay });
  }

  /**
   * Reveals the most recently active editor of the capture at `uri` and selects the packet at
   * event `index` (after the page has loaded when it was hidden). False when no editor shows it.
   */
  selectPacket(uri: vscode.Uri, index: number, preserveFocus = false): boolean {
    const h = this.latestHandle(uri);
    if (!h) return false;
    if (h.ready && h.panel.visible) h.post({ type: 'selectPacket', index });
    else h.pendingPacket = index;
    revealInPlace(h.panel, preserveFocus);
    return true;
  }

  /**
   * Packets to select in captures not open yet, by URI: kept before the editor is opened, taken
   * by the editor's panel when VS Code resolves it, and posted once its page is `ready` (the
   * page keeps it until its summary is there), so no reveal is lost to the order of events.
   */
  private readonly pendingReveals = new Map<string, number>();

  /**
   * Opens the capture at `uri` in our editor and selects the packet at event `index` (0-based;
   * null: none, the editor only): revealed where it is already open, else opened in the side
   * group beside `beside` (default: the last active trace editor), else (no trace editor open)
   * in `fallbackColumn`.
   */
  async revealPacket(uri: vscode.Uri, index: number | null, opts: { beside?: vscode.WebviewPanel; preserveFocus?: boolean; fallbackColumn?: vscode.ViewColumn } = {}): Promise<void> {
    if (index === null ? this.revealDocument(uri, opts.preserveFocus) : this.selectPacket(uri, index, opts.preserveFocus)) return;
    const key = uri.toString();
    if (index !== null) this.pendingReveals.set(key, index);
    try {
      await sideGroup.openWith(uri, TRACE_VIEW_TYPE, { panel: opts.beside, preserveFocus: opts.preserveFocus, fallbackColumn: opts.fallbackColumn });
    } finally {
      // Opened: its panel took the packet in resolveCustomEditor. Still here: the open failed, or
      // VS Code showed an editor it already had (no resolve): select in that one.
      if (index !== null && this.pendingReveals.get(key) === index) {
        this.pendingReveals.delete(key);
        this.selectPacket(uri, index, opts.preserveFocus);
      }
    }
  }

  /** Reveals the most recently active editor of `uri` in its group; false when none shows it. */
  private revealDocument(uri: vscode.Uri, preserveFocus = false): boolean {
    const h = this.latestHandle(uri);
    if (h) revealInPlace(h.panel, preserveFocus);
    return h !== undefined;
  }

  /** The most recently active editor of the document at `uri`. */
  private latestHandle(uri: vscode.Uri): PanelHandle | undefined {
    const doc = [...this.panels.keys()].find((d) => d.uri.toString() === uri.toString());
    const handles = doc ? (this.panels.get(doc) ?? []) : [];
    return handles.reduce<PanelHandle | undefined>((best, x) => (best === undefined || x.lastActive > best.lastActive ? x : best), undefined);
  }

  /**
   * Once the trace at `uri` is loaded in an editor, selects its last event (the table and the
   * timeline scroll to it): where a recording's trigger fired. False when no editor shows it
   * or it did not load within `timeoutMs`.
   */
  async selectLastEvent(uri: vscode.Uri, timeoutMs = 120_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const doc = [...this.panels.keys()].find((d) => d.uri.toString() === uri.toString());
      const state = doc?.loadState;
      if (state?.kind === 'loaded') return state.summary.events > 0 && this.selectPacket(uri, state.summary.events - 1);
      if (state?.kind === 'failed' || Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  resolveCustomEditor(document: TraceDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    const extUri = this.context.extensionUri;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extUri, 'dist'), vscode.Uri.joinPath(extUri, 'media')],
    };
    webview.html = webviewHtml(webview, extUri);

    const post = (msg: HostToWebview): void => {
      void webview.postMessage(msg);
    };
    const handle: PanelHandle = { panel, ready: false, pending: undefined, lastActive: panel.active ? Date.now() : 0, post };
    // A packet asked for before this editor existed (revealPacket): posted once the page is ready.
    const reveal = this.pendingReveals.get(document.uri.toString());
    if (reveal !== undefined) {
      handle.pendingPacket = reveal;
      this.pendingReveals.delete(document.uri.toString());
    }
    this.panels.set(document, [...(this.panels.get(document) ?? []), handle]);
    if (panel.active) {
      sideGroup.noteTraceEditor(panel);
      this.activeEmitter.fire(document);
    }
    const sendState = (): void => {
      if (!handle.ready) return;
      const s = document.loadState;
      if (s.kind === 'loading') {
        // The first screen while reading: the summary of what is read so far, when it grew.
        if (s.partial && s.partial !== handle.sentPartial) post({ type: 'summary', summary: s.partial });
        handle.sentPartial = s.partial;
        post({ type: 'progress', bytesRead: s.bytesRead, totalBytes: s.totalBytes });
      }
      else if (s.kind === 'loaded') {
        post({ type: 'summary', summary: s.summary });
        if (document.overlay) post({ type: 'captureOverlay', overlay: document.overlay });
      }
      else post({ type: 'loadError', message: s.message });
    };

    const subs: vscode.Disposable[] = [
      document.onDidChangeState(sendState),
      panel.onDidChangeViewState(() => {
        // Without retainContextWhenHidden a hidden page is discarded; it posts `ready` again when shown.
        if (!panel.visible) handle.ready = false;
        if (panel.active) {
          handle.lastActive = Date.now();
          sideGroup.noteTraceEditor(panel);
          this.activeEmitter.fire(document);
        }
      }),
      webview.onDidReceiveMessage(async (raw: unknown) => {
        if (!isWebviewToHost(raw)) return; // a webview is a web page: ignore anything malformed
        switch (raw.type) {
          case 'ready':
            handle.ready = true;
            handle.sentPartial = undefined; // a new page: it has no summary yet
            sendState();
            if (handle.pending) {
              post({ type: 'applyFilter', filter: handle.pending });
              handle.pending = undefined;
            }
            if (handle.pendingPacket !== undefined) {
              post({ type: 'selectPacket', index: handle.pendingPacket });
              handle.pendingPacket = undefined;
            }
            break;
          case 'revealLine':
            await sideGroup.showText(document.uri, { line: raw.line, panel });
            break;
          case 'setCaptureOffset':
          case 'detachCapture':
            try {
              this.postOverlay(document, await document.captureOffset(raw.type === 'setCaptureOffset' ? raw.offsetNs : null, raw.type === 'detachCapture'));
            } catch (err) {
              void vscode.window.showErrorMessage(`Kernel Trace: ${err instanceof Error ? err.message : String(err)}`);
            }
            break;
          case 'openCapturePacket':
            // A packet mark of the attached capture: the packet in the capture's own editor, in
            // this trace editor's side group; the trace editor keeps the focus (and its place).
            if (document.overlayUri) await this.revealPacket(document.overlayUri, raw.index, { beside: panel, preserveFocus: true });
            break;
          case 'revealEvent': {
            // Both in the one side group: the source line ends up in front, the trace line is its neighbour tab.
            await sideGroup.showText(document.uri, { line: raw.line, panel });
            const site = this.sourceSiteOf(document, raw.event);
            if (site) await sideGroup.showText(site.uri, { line: site.line, panel });
            break;
          }
          default:
            // Every request (a message with a requestId): the worker answers it, one error path.
            try {
              post(await document.forward(raw, await requestContext(raw, document.uri)));
            } catch (err) {
              post({ type: 'requestError', requestId: raw.requestId, message: err instanceof Error ? err.message : String(err) });
            }
        }
      }),
    ];
    panel.onDidDispose(() => {
      sideGroup.forget(panel);
      subs.forEach((d) => d.dispose());
      const left = (this.panels.get(document) ?? []).filter((x) => x !== handle);
      if (left.length > 0) this.panels.set(document, left);
      else this.panels.delete(document);
    });
  }
}

/** `kernelTrace.maxMemory` in bytes; null (the default budget) when unset or not a size, which is said. */
function maxMemorySetting(): number | null {
  const text = vscode.workspace.getConfiguration('kernelTrace').get<string>('maxMemory', '').trim();
  if (text === '') return null;
  const bytes = parseMemorySize(text);
  if (bytes === null) void vscode.window.showWarningMessage(`Kernel Trace Lens: kernelTrace.maxMemory "${text}" is not a size such as 512M or 2G; the default budget is used.`);
  return bytes;
}
