/**
 * One opened trace file: its worker, its load state, and the editors showing it.
 * Loading starts when the document opens; large files show a cancellable progress
 * notification. Cancelling keeps the events read so far.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { CaptureFinding, CaptureOverlayInfo, ReplyTo, TraceSummary, WebviewRequest } from '../protocol/messages';
import type { HitsResult } from '../core/analysis/hits';
import type { ReaderOptions } from '../core/formats/reader-options';
import type { TraceDiff } from '../core/analysis/diff/trace-diff';
import type { ExportFormat } from '../core/analysis/export/formats';
import type { HostToWorker, RequestContext, SourceConfig, WorkerToHost } from '../protocol/worker-messages';
import { WorkerRequests } from './worker-requests';
import { otherCaptures } from './capture-files';

/** Files at least this big (bytes) get a progress notification; smaller ones load too fast to need one. */
const NOTIFY_BYTES = 8 * 1024 * 1024;

export type LoadState =
  /** `partial`: the summary of what is read so far, once the worker has one (the editor shows it). */
  | { kind: 'loading'; bytesRead: number; totalBytes: number; partial?: TraceSummary }
  | { kind: 'loaded'; summary: TraceSummary }
  | { kind: 'failed'; message: string };

export class TraceDocument implements vscode.CustomDocument {
  private readonly worker: Worker;
  private state: LoadState = { kind: 'loading', bytesRead: 0, totalBytes: 0 };
  private readonly stateEmitter = new vscode.EventEmitter<LoadState>();
  /** Fires on every load-state change (progress, loaded, failed). */
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly requests = new WorkerRequests();
  private disposed = false;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the last editor of this trace closes. */
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly uri: vscode.Uri,
    extensionUri: vscode.Uri,
    readerOptions: ReaderOptions = {},
    env: NodeJS.ProcessEnv = process.env,
    /** The `kernelTrace.maxMemory` budget in bytes; null for the default. */
    maxMemoryBytes: number | null = null,
  ) {
    this.worker = new Worker(vscode.Uri.joinPath(extensionUri, 'dist', 'worker.js').fsPath, { env });
    this.worker.on('message', (msg: WorkerToHost) => this.onWorkerMessage(msg));
    this.worker.on('error', (err) => this.setState({ kind: 'failed', message: `trace worker failed: ${err.message}` }));
    this.worker.on('exit', (code) => {
      if (!this.disposed && this.state.kind === 'loading') this.setState({ kind: 'failed', message: `trace worker exited (code ${code})` });
      this.requests.rejectAll(new Error('trace worker exited'));
    });
    if (uri.scheme !== 'file') {
      this.state = { kind: 'failed', message: `Kernel Trace Lens reads local files; ${uri.scheme}: URIs are not supported yet.` };
      return;
    }
    // A machine setting: a workspace's value is not used (it could only slow the reading down).
    const parseJobs = vscode.workspace.getConfiguration('kernelTrace').get<number>('parseJobs', 0);
    const jobs = Number.isInteger(parseJobs) && parseJobs >= 0 ? { parseJobs } : {};
    this.send({ type: 'open', path: uri.fsPath, fileName: path.basename(uri.fsPath), readerOptions, ...(maxMemoryBytes !== null ? { maxMemoryBytes } : {}), ...jobs });
    void this.showProgressWhenLarge();
  }

  get loadState(): LoadState {
    return this.state;
  }

  /** Hit counts of this trace on the source tree (the worker maps and indexes; needs the trace loaded). */
  hits(source: SourceConfig): Promise<HitsResult> {
    return this.requests.request(
      (requestId) => this.send({ type: 'hits', requestId, source }),
      (m) => (m.type === 'hits' ? m.result : undefined),
    );
  }

  /**
   * A webview request answered by the worker, with what only the host can read for it. The
   * reply carries the request's own requestId; a reply of another kind rejects.
   */
  forward<R extends WebviewRequest>(request: R, context: RequestContext): Promise<ReplyTo<R['type']>> {
    return this.requests.request(
      (requestId) => this.send({ type: 'webview', requestId, request, context }),
      (m) => (m.type === 'webview' && m.reply.type === request.type ? ({ ...m.reply, requestId: request.requestId } as ReplyTo<R['type']>) : undefined),
    );
  }

  /** The capture drawn on this trace's timeline, if any (kept for webviews that open or reload later). */
  overlay: CaptureOverlayInfo | null = null;
  /** Its file (the host's: a webview names packets by index, never files). */
  overlayUri: vscode.Uri | null = null;

  /** Reads a capture in the worker and draws it on the timeline (estimating the clock offset). */
  async attachCapture(capture: vscode.Uri): Promise<CaptureOverlayInfo | null> {
    this.overlay = await this.requests.request(
      (requestId) => this.send({ type: 'attachCapture', requestId, path: capture.fsPath, name: path.basename(capture.fsPath) }),
      (m) => (m.type === 'captureOverlay' ? m.overlay : undefined),
    );
    this.overlayUri = this.overlay ? capture : null;
    return this.overlay;
  }

  /** Sets the capture's clock offset (decimal ns; null = the estimate), or removes the capture. */
  async captureOffset(offsetNs: string | null, detach: boolean): Promise<CaptureOverlayInfo | null> {
    this.overlay = await this.requests.request(
      (requestId) => this.send({ type: 'captureOffset', requestId, offsetNs, detach }),
      (m) => (m.type === 'captureOverlay' ? m.overlay : undefined),
    );
    if (!this.overlay) this.overlayUri = null;
    return this.overlay;
  }

  /** Compare with…: this trace (before) against `other` (after), read and compared in this trace's worker. */
  compare(other: vscode.Uri, readerOptions: ReaderOptions, source: SourceConfig | null): Promise<TraceDiff> {
    return this.requests.request(
      (requestId) => this.send({ type: 'compare', requestId, path: other.fsPath, name: path.basename(other.fsPath), readerOptions, source }),
      (m) => (m.type === 'compare' ? m.diff : undefined),
    );
  }

  /** Export…: written by the worker, a batch at a time. */
  export(format: ExportFormat, out: vscode.Uri, source: SourceConfig | null): Promise<{ events: number; files: readonly string[] }> {
    return this.requests.request(
      (requestId) => this.send({ type: 'export', requestId, format, out: out.fsPath, source }),
      (m) => (m.type === 'exported' ? { events: m.events, files: m.files } : undefined),
    );
  }

  /** Rebuild Source Index: the worker forgets its index; requests after this one build a new one. */
  dropSourceIndex(): void {
    this.send({ type: 'dropSourceIndex' });
  }

  /** The capture's findings (captures only; the worker computes them once and keeps them). */
  async findings(): Promise<{ findings: readonly CaptureFinding[]; total: number }> {
    // With the workspace's other captures: "traffic another capture of the same hosts has".
    const r = await this.forward({ type: 'findings', requestId: 0 }, { captures: await otherCaptures(this.uri) });
    return { findings: r.findings, total: r.total };
  }

  cancelLoad(): void {
    this.send({ type: 'cancel' });
  }

  dispose(): void {
    this.disposed = true;
    void this.worker.terminate();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.stateEmitter.dispose();
  }

  private send(msg: HostToWorker): void {
    this.worker.postMessage(msg);
  }

  private onWorkerMessage(msg: WorkerToHost): void {
    if (this.requests.settle(msg)) return;
    switch (msg.type) {
      case 'progress':
        this.setState({ kind: 'loading', bytesRead: msg.bytesRead, totalBytes: msg.totalBytes, ...(this.state.kind === 'loading' && this.state.partial ? { partial: this.state.partial } : {}) });
        break;
      case 'partial':
        if (this.state.kind === 'loading') this.setState({ ...this.state, partial: msg.summary });
        break;
      case 'opened':
        this.setState({ kind: 'loaded', summary: msg.summary });
        break;
      case 'openError':
        this.setState({ kind: 'failed', message: msg.message });
        break;
    }
  }

  private setState(s: LoadState): void {
    if (this.disposed) return;
    this.state = s;
    this.stateEmitter.fire(s);
  }

  /** A cancellable notification while a large file loads; cancelling keeps what was read. */
  private async showProgressWhenLarge(): Promise<void> {
    let size: number;
    try {
      size = (await vscode.workspace.fs.stat(this.uri)).size;
    } catch {
      return;
    }
    if (size < NOTIFY_BYTES || this.state.kind !== 'loading') return;
    const name = path.basename(this.uri.fsPath);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading ${name}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let reported = 0;
          token.onCancellationRequested(() => this.cancelLoad());
          const sub = this.onDidChangeState((s) => {
            if (s.kind === 'loading' && s.totalBytes > 0) {
              const pct = (100 * s.bytesRead) / s.totalBytes;
              progress.report({ increment: pct - reported, message: `${(s.bytesRead / 1048576).toFixed(0)} of ${(s.totalBytes / 1048576).toFixed(0)} MiB` });
              reported = pct;
            } else if (s.kind !== 'loading') {
              sub.dispose();
              resolve();
            }
          });
        }),
    );
  }
}
