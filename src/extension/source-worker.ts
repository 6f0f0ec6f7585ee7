/**
 * A worker thread for source questions that need no trace: the probe script for a line and
 * the definitions of a symbol. Same bundle as the trace workers (dist/worker.js), never sent
 * `open`. Started on first use; `restart()` drops its in-memory index (Rebuild Source Index).
 */
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { ProbeLineReply, SourceConfig, WorkerToHost } from '../protocol/worker-messages';
import { WorkerRequests } from './worker-requests';

export interface Definition {
  /** Relative to the source root, `/` separators. */
  readonly file: string;
  /** 1-based: the line of the function's name. */
  readonly line: number;
}

export class SourceWorker implements vscode.Disposable {
  private worker: Worker | undefined;
  private requests = new WorkerRequests();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly env: () => NodeJS.ProcessEnv,
  ) {}

  probeLine(source: SourceConfig, file: string, line: number, variables: readonly string[] = []): Promise<ProbeLineReply> {
    const w = this.ensure();
    return this.requests.request(
      (requestId) => w.worker.postMessage({ type: 'probeLine', requestId, source, file, line, variables }),
      (m) => (m.type === 'probeLine' ? m.result : undefined),
    );
  }

  resolveSymbol(source: SourceConfig, symbol: string): Promise<readonly Definition[]> {
    const w = this.ensure();
    return this.requests.request(
      (requestId) => w.worker.postMessage({ type: 'resolveSymbol', requestId, source, symbol }),
      (m) => (m.type === 'symbol' ? m.definitions : undefined),
    );
  }

  /** A raw kernel address through `source.kallsyms`: `sym+0xoff/0xsize`, or null outside any text symbol. */
  resolveAddress(source: SourceConfig, address: string): Promise<{ symbol: string; offset: string; size: string } | null> {
    const w = this.ensure();
    return this.requests.request(
      (requestId) => w.worker.postMessage({ type: 'resolveAddress', requestId, source, address }),
      (m) => (m.type === 'address' ? m.resolved : undefined),
    );
  }

  /** Stops the thread (and its in-memory index); the next request starts a fresh one. */
  restart(): void {
    const w = this.worker;
    this.worker = undefined;
    this.requests.rejectAll(new Error('the source index is being rebuilt'));
    this.requests = new WorkerRequests();
    void w?.terminate();
  }

  dispose(): void {
    this.restart();
  }

  private ensure(): { worker: Worker } {
    if (!this.worker) {
      const worker = new Worker(vscode.Uri.joinPath(this.extensionUri, 'dist', 'worker.js').fsPath, { env: this.env() });
      const requests = this.requests;
      worker.on('message', (msg: WorkerToHost) => requests.settle(msg));
      worker.on('error', (err) => requests.rejectAll(new Error(`source worker failed: ${err.message}`)));
      worker.on('exit', () => {
        requests.rejectAll(new Error('source worker exited'));
        if (this.worker === worker) this.worker = undefined;
      });
      // Idle between questions: do not keep the extension host alive for it.
      worker.unref();
      this.worker = worker;
    }
    return { worker: this.worker };
  }
}
