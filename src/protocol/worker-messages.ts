/**
 * Messages between the extension host and its parsing worker (worker_threads). One worker
 * per open trace document: it reads the file, keeps the Trace, and answers page requests,
 * so neither parsing nor filtering ever runs on the extension host thread.
 */
import type { CaptureOverlayInfo, LifecycleToHost, TraceSummary, WebviewReply, WebviewRequest } from './messages';
import type { HitsResult } from '../core/analysis/hits';
import type { LineProbeScript } from '../core/probes/line-probe';
import type { ReaderOptions } from '../core/formats/reader-options';
import type { TraceDiff } from '../core/analysis/diff/trace-diff';
import type { ExportFormat } from '../core/analysis/export/formats';

/** Where the kernel source is and where the worker may keep its index cache (absolute paths). */
export interface SourceConfig {
  readonly sourceRoot: string;
  readonly cacheDir: string;
  /** A saved /proc/kallsyms for raw addresses (kernelTrace.kallsyms). */
  readonly kallsyms?: string;
  /** A vmlinux with DWARF for `sym+0xoff` lines through addr2line (kernelTrace.vmlinux). */
  readonly vmlinux?: string;
  /** Restricted Mode (untrusted workspace): the worker starts no process (no ripgrep, no addr2line). */
  readonly restricted?: boolean;
}

/** A line probe for `file` (relative to the source root) at 1-based `line`. */
export interface ProbeLineReply extends LineProbeScript {
  readonly file: string;
  readonly line: number;
}

export type HostToWorker =
  /**
   * readerOptions: the workspace's kernel-trace.json reader options (a printf pattern);
   * maxMemoryBytes: the `kernelTrace.maxMemory` budget (absent: the default); parseJobs: the
   * `kernelTrace.parseJobs` threads for a text trace (absent or 0: one per core; 1: in order).
   */
  | { readonly type: 'open'; readonly path: string; readonly fileName: string; readonly readerOptions: ReaderOptions; readonly maxMemoryBytes?: number; readonly parseJobs?: number }
  | { readonly type: 'cancel' }
  /** Hit counts of the loaded trace on the source tree (needs `open` first). */
  | { readonly type: 'hits'; readonly requestId: number; readonly source: SourceConfig }
  /** The probe script for one source line (no trace needed); `variables` empty = those the line reads. */
  | { readonly type: 'probeLine'; readonly requestId: number; readonly source: SourceConfig; readonly file: string; readonly line: number; readonly variables: readonly string[] }
  /** Definitions of a symbol (for `sym+0xoff/0xsize` links). */
  | { readonly type: 'resolveSymbol'; readonly requestId: number; readonly source: SourceConfig; readonly symbol: string }
  /**
   * A webview request (rows, timeline, fds, packets, lifecycles, ...), forwarded as it came after
   * the guard, with what only the host can read for it. The reply carries the webview's own
   * requestId inside; `requestId` here is the host's.
   */
  | { readonly type: 'webview'; readonly requestId: number; readonly request: WebviewRequest; readonly context: RequestContext }
  /** Read a capture and draw it on this trace's timeline (replaces one attached before). */
  | { readonly type: 'attachCapture'; readonly requestId: number; readonly path: string; readonly name: string }
  /** offsetNs: decimal ns, or null for the estimate; detach: offsetNs ignored. */
  | { readonly type: 'captureOffset'; readonly requestId: number; readonly offsetNs: string | null; readonly detach: boolean }
  /** Rebuild Source Index: forget the in-memory indexes (the next request re-reads the cache and the tree). No reply. */
  | { readonly type: 'dropSourceIndex' }
  /** A raw kernel address (hex) -> `sym+off/size` through `source.kallsyms` (for address links). */
  | { readonly type: 'resolveAddress'; readonly requestId: number; readonly source: SourceConfig; readonly address: string }
  /**
   * Compare with…: this trace (A, before) against the file at `path` (B, after), read in this
   * worker for the comparison and closed after it; hits of both on `source` when given.
   */
  | { readonly type: 'compare'; readonly requestId: number; readonly path: string; readonly name: string; readonly readerOptions: ReaderOptions; readonly source: SourceConfig | null }
  /** Export…: this trace to `out` (parquet adds its .meta/.findings/.hits tables beside it). */
  | { readonly type: 'export'; readonly requestId: number; readonly format: ExportFormat; readonly out: string; readonly source: SourceConfig | null };

export type WorkerToHost =
  | { readonly type: 'progress'; readonly bytesRead: number; readonly totalBytes: number }
  /** The summary of what is read so far (`summary.reading` set): the trace answers page requests from now on. */
  | { readonly type: 'partial'; readonly summary: TraceSummary }
  | { readonly type: 'opened'; readonly summary: TraceSummary }
  | { readonly type: 'openError'; readonly message: string }
  | { readonly type: 'hits'; readonly requestId: number; readonly result: HitsResult }
  | { readonly type: 'probeLine'; readonly requestId: number; readonly result: ProbeLineReply }
  | { readonly type: 'symbol'; readonly requestId: number; readonly definitions: readonly { readonly file: string; readonly line: number }[] }
  | { readonly type: 'requestError'; readonly requestId: number; readonly message: string }
  | { readonly type: 'webview'; readonly requestId: number; readonly reply: WebviewReply }
  | { readonly type: 'captureOverlay'; readonly requestId: number; readonly overlay: CaptureOverlayInfo | null }
  | { readonly type: 'compare'; readonly requestId: number; readonly diff: TraceDiff }
  | { readonly type: 'exported'; readonly requestId: number; readonly events: number; readonly files: readonly string[] }
  /** `resolved` null: the address is not inside a text symbol of the kallsyms file. Offsets and sizes are `0x` hex. */
  | { readonly type: 'address'; readonly requestId: number; readonly resolved: { readonly symbol: string; readonly offset: string; readonly size: string } | null };

/** The lifecycle requests the worker answers (revealEvent is the host's own business). */
export type WorkerLifecycleRequest = Exclude<LifecycleToHost, { readonly type: 'revealEvent' }>;

/** A capture of the workspace other than the one opened: absolute path and the name findings and journeys show. */
export interface OtherCapture {
  readonly path: string;
  readonly name: string;
}

/**
 * What a webview request needs that only the extension host can read (the worker has no
 * workspace API); absent fields were not read for this request's kind.
 */
export interface RequestContext {
  /** `.vscode/kernel-trace.json` (lifecycle and interleave requests); null: the workspace has none. */
  readonly models?: WorkspaceModels | null;
  /** The workspace's other captures (findings, journeys). */
  readonly captures?: readonly OtherCapture[];
  /** This capture's name as a journey shows it. */
  readonly name?: string;
}

/** `.vscode/kernel-trace.json` as read by the extension host: its path (for messages) and text. */
export interface WorkspaceModels {
  readonly path: string;
  readonly text: string;
}
