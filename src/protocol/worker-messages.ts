/**
 * Messages between the extension host and its parsing worker (worker_threads). One worker
 * per open trace document: it reads the file, keeps the Trace, and answers page requests,
 * so neither parsing nor filtering ever runs on the extension host thread.
 */
import type { CaptureFinding, CaptureOverlayInfo, EventFilter, EventRow, FdSummary, LifecycleToHost, LifecycleToWebview, PacketDetails, PacketJourney, TimelineToHost, TimelineToWebview, TraceSummary } from './messages';
import type { HitsResult } from '../core/analysis/hits';
import type { LineProbeScript } from '../core/probes/line-probe';
import type { ReaderOptions } from '../core/formats/reader-options';

/** Where the kernel source is and where the worker may keep its index cache (absolute paths). */
export interface SourceConfig {
  readonly sourceRoot: string;
  readonly cacheDir: string;
  /** A saved /proc/kallsyms for raw addresses (kernelTrace.kallsyms). */
  readonly kallsyms?: string;
  /** A vmlinux with DWARF for `sym+0xoff` lines through addr2line (kernelTrace.vmlinux). */
  readonly vmlinux?: string;
}

/** A line probe for `file` (relative to the source root) at 1-based `line`. */
export interface ProbeLineReply extends LineProbeScript {
  readonly file: string;
  readonly line: number;
}

export type HostToWorker =
  /**
   * readerOptions: the workspace's kernel-trace.json reader options (a printf pattern);
   * maxMemoryBytes: the `kernelTrace.maxMemory` budget (absent: the default).
   */
  | { readonly type: 'open'; readonly path: string; readonly fileName: string; readonly readerOptions: ReaderOptions; readonly maxMemoryBytes?: number }
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
  /** strace per-fd views (needs `open` first). */
  | { readonly type: 'fds'; readonly requestId: number }
  /** Read a capture and draw it on this trace's timeline (replaces one attached before). */
  | { readonly type: 'attachCapture'; readonly requestId: number; readonly path: string; readonly name: string }
  /** offsetNs: decimal ns, or null for the estimate; detach: offsetNs ignored. */
  | { readonly type: 'captureOffset'; readonly requestId: number; readonly offsetNs: string | null; readonly detach: boolean }
  /** Rebuild Source Index: forget the in-memory indexes (the next request re-reads the cache and the tree). No reply. */
  | { readonly type: 'dropSourceIndex' }
  /** A raw kernel address (hex) -> `sym+off/size` through `source.kallsyms` (for address links). */
  | { readonly type: 'resolveAddress'; readonly requestId: number; readonly source: SourceConfig; readonly address: string }
  /** Details and bytes of one packet of the loaded capture. */
  | { readonly type: 'packet'; readonly requestId: number; readonly index: number }
  /** Findings of the loaded capture (at most MAX_FINDINGS; `total` counts them all), `others` for cross-capture ones. */
  | { readonly type: 'findings'; readonly requestId: number; readonly others: readonly { readonly path: string; readonly name: string }[] }
  /** The journey of packet `index` (named `name`) across the loaded capture and the captures at `others`. */
  | { readonly type: 'journey'; readonly requestId: number; readonly index: number; readonly name: string; readonly others: readonly { readonly path: string; readonly name: string }[] }
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
  | { readonly type: 'fds'; readonly requestId: number; readonly views: FdSummary[]; readonly total: number }
  | { readonly type: 'captureOverlay'; readonly requestId: number; readonly overlay: CaptureOverlayInfo | null }
  /** `resolved` null: the address is not inside a text symbol of the kallsyms file. Offsets and sizes are `0x` hex. */
  | { readonly type: 'address'; readonly requestId: number; readonly resolved: { readonly symbol: string; readonly offset: string; readonly size: string } | null }
  | { readonly type: 'packet'; readonly requestId: number; readonly packet: PacketDetails }
  | { readonly type: 'findings'; readonly requestId: number; readonly findings: CaptureFinding[]; readonly total: number }
  | { readonly type: 'journey'; readonly requestId: number; readonly journey: PacketJourney | null; readonly reason: string }
  | { readonly type: 'lifecycle'; readonly requestId: number; readonly reply: LifecycleToWebview };

/** The lifecycle requests the worker answers (revealEvent is the host's own business). */
export type WorkerLifecycleRequest = Exclude<LifecycleToHost, { readonly type: 'revealEvent' }>;

/** `.vscode/kernel-trace.json` as read by the extension host: its path (for messages) and text. */
export interface WorkspaceModels {
  readonly path: string;
  readonly text: string;
}
