/**
 * Messages between the extension host and its parsing worker (worker_threads). One worker
 * per open trace document: it reads the file, keeps the Trace, and answers page requests,
 * so neither parsing nor filtering ever runs on the extension host thread.
 */
import type { EventFilter, EventRow, LifecycleToHost, LifecycleToWebview, TimelineToHost, TimelineToWebview, TraceSummary } from './messages';
import type { HitsResult } from '../core/analysis/hits';
import type { LineProbeScript } from '../core/probes/line-probe';

/** Where the kernel source is and where the worker may keep its index cache (absolute paths). */
export interface SourceConfig {
  readonly sourceRoot: string;
  readonly cacheDir: string;
}

/** A line probe for `file` (relative to the source root) at 1-based `line`. */
export interface ProbeLineReply extends LineProbeScript {
  readonly file: string;
  readonly line: number;
}

export type HostToWorker =
  | { readonly type: 'open'; readonly path: string; readonly fileName: string }
  | { readonly type: 'cancel' }
  | { readonly type: 'rows'; readonly requestId: number; readonly start: number; readonly count: number; readonly filter: EventFilter }
  /** Hit counts of the loaded trace on the source tree (needs `open` first). */
  | { readonly type: 'hits'; readonly requestId: number; readonly source: SourceConfig }
  /** The probe script for one source line (no trace needed); `variables` empty = those the line reads. */
  | { readonly type: 'probeLine'; readonly requestId: number; readonly source: SourceConfig; readonly file: string; readonly line: number; readonly variables: readonly string[] }
  /** Definitions of a symbol (for `sym+0xoff/0xsize` links). */
  | { readonly type: 'resolveSymbol'; readonly requestId: number; readonly source: SourceConfig; readonly symbol: string }
  /** A webview timeline request, forwarded as is; the reply carries the webview's own requestId inside. */
  | { readonly type: 'timeline'; readonly requestId: number; readonly request: TimelineToHost }
  /** A webview lifecycle/interleave request, with the workspace's kernel-trace.json as the host read it (null: none). */
  | { readonly type: 'lifecycle'; readonly requestId: number; readonly request: WorkerLifecycleRequest; readonly config: WorkspaceModels | null };

export type WorkerToHost =
  | { readonly type: 'progress'; readonly bytesRead: number; readonly totalBytes: number }
  | { readonly type: 'opened'; readonly summary: TraceSummary }
  | { readonly type: 'openError'; readonly message: string }
  | { readonly type: 'rows'; readonly requestId: number; readonly total: number; readonly start: number; readonly rows: EventRow[] }
  | { readonly type: 'hits'; readonly requestId: number; readonly result: HitsResult }
  | { readonly type: 'probeLine'; readonly requestId: number; readonly result: ProbeLineReply }
  | { readonly type: 'symbol'; readonly requestId: number; readonly definitions: readonly { readonly file: string; readonly line: number }[] }
  | { readonly type: 'requestError'; readonly requestId: number; readonly message: string }
  | { readonly type: 'timeline'; readonly requestId: number; readonly reply: TimelineToWebview }
  | { readonly type: 'lifecycle'; readonly requestId: number; readonly reply: LifecycleToWebview };

/** The lifecycle requests the worker answers (revealEvent is the host's own business). */
export type WorkerLifecycleRequest = Exclude<LifecycleToHost, { readonly type: 'revealEvent' }>;

/** `.vscode/kernel-trace.json` as read by the extension host: its path (for messages) and text. */
export interface WorkspaceModels {
  readonly path: string;
  readonly text: string;
}
