/**
 * Messages between the extension host and its parsing worker (worker_threads). One worker
 * per open trace document: it reads the file, keeps the Trace, and answers page requests,
 * so neither parsing nor filtering ever runs on the extension host thread.
 */
import type { EventFilter, EventRow, TraceSummary } from './messages';

export type HostToWorker =
  | { readonly type: 'open'; readonly path: string; readonly fileName: string }
  | { readonly type: 'cancel' }
  | { readonly type: 'rows'; readonly requestId: number; readonly start: number; readonly count: number; readonly filter: EventFilter };

export type WorkerToHost =
  | { readonly type: 'progress'; readonly bytesRead: number; readonly totalBytes: number }
  | { readonly type: 'opened'; readonly summary: TraceSummary }
  | { readonly type: 'openError'; readonly message: string }
  | { readonly type: 'rows'; readonly requestId: number; readonly total: number; readonly start: number; readonly rows: EventRow[] }
  | { readonly type: 'requestError'; readonly requestId: number; readonly message: string };
