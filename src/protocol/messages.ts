/**
 * Messages between the extension host and the trace webview.
 *
 * Shape follows microsoft/vscode-hexeditor: discriminated unions on `type`, a request/reply
 * envelope keyed by `requestId`, and a `ready` handshake before the host sends anything.
 * The webview never receives the whole trace: it asks for pages of rows (range + filter).
 * Every inbound message is untrusted on both sides; see guards.ts.
 */

/** Times are nanoseconds relative to the trace origin (the first event). */
export type RelNs = number;

export interface EventFilter {
  /** Event names to keep; empty or absent = all. */
  readonly events?: readonly string[];
  /** CPU numbers to keep; empty or absent = all. */
  readonly cpus?: readonly number[];
  /** Task filter: substring of comm, or an exact pid written as digits. */
  readonly task?: string;
  /** Case-insensitive substring of the event's field text. */
  readonly text?: string;
}

export interface CountEntry {
  readonly name: string;
  readonly count: number;
}

export interface TaskEntry {
  readonly comm: string;
  readonly pid: number;
  readonly count: number;
}

export interface TraceSummary {
  readonly fileName: string;
  readonly format: string;
  readonly tracer: string | null;
  readonly events: number;
  readonly cpus: readonly number[];
  readonly firstTsNs: RelNs;
  readonly durationNs: RelNs;
  /** Absolute time of the origin, decimal nanoseconds (bigint as a string). */
  readonly originNs: string;
  /** How times were obtained: real timestamps, latency-format microseconds, or estimated. */
  readonly timeSource: string;
  readonly eventCounts: readonly CountEntry[];
  readonly cpuCounts: readonly CountEntry[];
  readonly tasks: readonly TaskEntry[];
  readonly lostEvents: number;
  readonly errorCount: number;
  /** The first few parse errors, for display. */
  readonly errors: readonly { readonly line: number; readonly message: string }[];
}

export interface EventRow {
  /** Index of the event in the trace (file order). */
  readonly index: number;
  /** 1-based line number in the source file. */
  readonly line: number;
  readonly tsNs: RelNs;
  readonly cpu: number;
  readonly pid: number;
  readonly tgid: number | null;
  readonly comm: string;
  readonly flags: string;
  readonly event: string;
  /** The event's payload text as written in the trace (untrusted: render with textContent). */
  readonly text: string;
}

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'rows'; readonly requestId: number; readonly start: number; readonly count: number; readonly filter: EventFilter }
  | { readonly type: 'revealLine'; readonly line: number };

export type HostToWebview =
  | { readonly type: 'progress'; readonly bytesRead: number; readonly totalBytes: number }
  | { readonly type: 'summary'; readonly summary: TraceSummary }
  | { readonly type: 'loadError'; readonly message: string }
  | {
      readonly type: 'rows';
      readonly requestId: number;
      /** Rows matching the filter in the whole trace. */
      readonly total: number;
      readonly start: number;
      readonly rows: readonly EventRow[];
    }
  | { readonly type: 'requestError'; readonly requestId: number; readonly message: string }
  /**
   * Replace the table's filter (e.g. "Show Events for This Line" from a source file): the
   * webview sets its filter model, exactly as if the user had picked these facets.
   */
  | { readonly type: 'applyFilter'; readonly filter: EventFilter };

/** Upper bound on rows per page, enforced by the host whatever the webview asks. */
export const MAX_PAGE_ROWS = 5000;
