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
  | { readonly type: 'revealLine'; readonly line: number }
  | TimelineToHost
  | LifecycleToHost;

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
  | { readonly type: 'applyFilter'; readonly filter: EventFilter }
  | TimelineToWebview
  | LifecycleToWebview;

/** Upper bound on rows per page, enforced by the host whatever the webview asks. */
export const MAX_PAGE_ROWS = 5000;

// ---- timeline ---------------------------------------------------------------------------
// The webview asks for (time range, resolution, tracks, filter) and gets per-track data
// aggregated per pixel bucket, as typed arrays (structured-cloned by postMessage), never the
// whole trace. Times are RelNs; ranges are half-open [startNs, endNs).

/** Events of one track, listed one by one (only when the range holds few enough). */
export interface TimelineEventList {
  readonly tsNs: Float64Array;
  /** Index into TimelineData.names. */
  readonly name: Uint32Array;
  /** Event index in the trace (file order), as EventRow.index. */
  readonly index: Uint32Array;
}

export interface TimelineSliceList {
  readonly startNs: Float64Array;
  readonly endNs: Float64Array;
  /** Index into TimelineData.tasks. */
  readonly task: Uint32Array;
}

/** One CPU over the requested range, in `resolution` equal buckets. */
export interface TimelineTrack {
  readonly cpu: number;
  /** Events of the track in the range (after the filter). */
  readonly total: number;
  /** Events per bucket. */
  readonly counts: Uint32Array;
  /** Per bucket: the most frequent event (sampled), index into names; -1 = empty bucket. */
  readonly dominant: Int32Array;
  /** The events one by one when the range holds at most MAX_TIMELINE_EVENTS of them, else null. */
  readonly events: TimelineEventList | null;
  /** sched_switch task slices overlapping the range, when few enough; else null. */
  readonly slices: TimelineSliceList | null;
  /** When slices is null and the CPU has slices: task (index into tasks) at each bucket's middle, -1 = none. */
  readonly sliceBuckets: Int32Array | null;
}

export interface TimelineData {
  readonly startNs: RelNs;
  readonly endNs: RelNs;
  readonly resolution: number;
  readonly names: readonly string[];
  readonly tasks: readonly { readonly comm: string; readonly pid: number }[];
  readonly tracks: readonly TimelineTrack[];
}

export type TimelineToHost =
  /** Aggregated tracks over [startNs, endNs); `resolution` = buckets (pixels) across; cpus null = all. */
  | {
      readonly type: 'timeline';
      readonly requestId: number;
      readonly startNs: RelNs;
      readonly endNs: RelNs;
      readonly resolution: number;
      readonly cpus: readonly number[] | null;
      readonly filter: EventFilter;
    }
  /** Exact event counts in [startNs, endNs) (a brushed selection), per CPU and per event. */
  | {
      readonly type: 'timelineRange';
      readonly requestId: number;
      readonly startNs: RelNs;
      readonly endNs: RelNs;
      readonly cpus: readonly number[] | null;
      readonly filter: EventFilter;
    }
  /** One event by trace index, and its position in the table's list under `filter`. */
  | { readonly type: 'eventAt'; readonly requestId: number; readonly index: number; readonly filter: EventFilter };

export type TimelineToWebview =
  | { readonly type: 'timeline'; readonly requestId: number; readonly data: TimelineData }
  | {
      readonly type: 'timelineRange';
      readonly requestId: number;
      readonly startNs: RelNs;
      readonly endNs: RelNs;
      readonly total: number;
      /** name = CPU number as text. */
      readonly cpus: readonly CountEntry[];
      readonly events: readonly CountEntry[];
    }
  /** position: the row's position in the filtered list, null when the filter hides it. */
  | { readonly type: 'eventAt'; readonly requestId: number; readonly row: EventRow; readonly position: number | null };

/** Most buckets a timeline request may ask for. */
export const MAX_TIMELINE_RESOLUTION = 8192;
/** A track lists its events one by one up to this many in the range (the host enforces it). */
export const MAX_TIMELINE_EVENTS = 4000;
/** Task slices listed one by one up to this many per track; above, one task per bucket. */
export const MAX_TIMELINE_SLICES = 4000;

// ---- lifecycles and interleavings --------------------------------------------------------
// The worker analyses (one cached analysis per model); the webview asks for a summary of a
// model (findings, counts), then for windows of lanes (objects) over a time range, never for
// all objects. Models are named `builtin:NAME` or `workspace:NAME` (.vscode/kernel-trace.json).

export interface LifecycleModelInfo {
  /** `builtin:af-xdp`, `workspace:skb-tx`. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly source: 'builtin' | 'workspace';
}

/** One problem of .vscode/kernel-trace.json, with the JSON path of the offending value. */
export interface ModelProblem {
  readonly path: string;
  readonly message: string;
}

export interface LifecycleFinding {
  readonly kind: string;
  readonly key: string;
  /** Lane (object id) the finding is about; -1 when it has none (a poison value). */
  readonly lane: number;
  readonly tsNs: RelNs;
  readonly cpu: number;
  readonly line: number;
  /** Event index in the trace. */
  readonly index: number;
  readonly event: string;
  readonly message: string;
}

export interface LifecycleSummary {
  readonly model: string;
  readonly states: readonly string[];
  readonly objects: number;
  readonly steps: number;
  /** Findings in trace order, at most MAX_LIFECYCLE_FINDINGS of them; `findingTotal` counts all. */
  readonly findings: readonly LifecycleFinding[];
  readonly findingTotal: number;
  readonly transitions: readonly { readonly from: string | null; readonly to: string; readonly count: number; readonly legal: boolean | null }[];
}

export interface LifecycleLane {
  /** Object id = lane number. */
  readonly lane: number;
  readonly key: string;
  readonly generation: number;
  /** Final state (index into LifecycleSummary.states). */
  readonly state: number;
  readonly steps: number;
  readonly cpus: readonly number[];
  readonly firstTsNs: RelNs;
  readonly lastTsNs: RelNs;
}

/** Lanes [first, first + lanes.length) over [startNs, endNs); segments at most one per pixel column per lane. */
export interface LifecycleLanes {
  readonly model: string;
  readonly first: number;
  readonly startNs: RelNs;
  readonly endNs: RelNs;
  readonly lanes: readonly LifecycleLane[];
  readonly segments: {
    /** Index into `lanes`. */
    readonly lane: Uint32Array;
    readonly state: Uint8Array;
    readonly startNs: Float64Array;
    readonly endNs: Float64Array;
    /** Event index and 1-based line of the step that began the segment. */
    readonly index: Uint32Array;
    readonly line: Uint32Array;
    /** Index into `names`. */
    readonly name: Uint32Array;
  };
  readonly names: readonly string[];
}

export interface InterleaveWindowRow {
  readonly rank: number;
  readonly cpus: readonly [number, number];
  readonly startNs: RelNs;
  readonly endNs: RelNs;
  readonly overlapNs: number;
  readonly gapNs: number;
  /** Event indices of the two sections' opening events, and of the events inside the other CPU's section. */
  readonly opens: readonly [number, number];
  readonly inside: readonly number[];
  readonly message: string;
}

export interface InterleaveData {
  readonly key: string;
  readonly pair: { readonly open: string; readonly close: string } | null;
  readonly cpus: readonly number[];
  /** Events touching the object in time order, at most MAX_INTERLEAVE_EVENTS; `total` counts all. */
  readonly events: readonly EventRow[];
  readonly total: number;
  readonly windows: readonly InterleaveWindowRow[];
  readonly sections: number;
  readonly unpairedCloses: number;
  readonly unclosed: number;
}

export type LifecycleToHost =
  | { readonly type: 'lifecycleModels'; readonly requestId: number }
  | { readonly type: 'lifecycle'; readonly requestId: number; readonly model: string }
  | {
      readonly type: 'lifecycleLanes';
      readonly requestId: number;
      readonly model: string;
      readonly first: number;
      readonly count: number;
      readonly startNs: RelNs;
      readonly endNs: RelNs;
      /** Pixel columns across the range (segments are thinned to one per column per lane). */
      readonly resolution: number;
    }
  /** The N events up to and including event `index` on every CPU (the finding's "flight recorder"). */
  | { readonly type: 'flightRecorder'; readonly requestId: number; readonly index: number; readonly perCpu: number }
  /** Events touching FIELD=VALUE (or a bare VALUE) from every CPU, and with a pair the critical-section windows. */
  | { readonly type: 'interleave'; readonly requestId: number; readonly key: string; readonly pair: { readonly open: string; readonly close: string } | null }
  /** Open the event's line in the trace text and, when the source mapping knows the event, its source line. */
  | { readonly type: 'revealEvent'; readonly line: number; readonly event: string };

export type LifecycleToWebview =
  | { readonly type: 'lifecycleModels'; readonly requestId: number; readonly models: readonly LifecycleModelInfo[]; readonly configPath: string | null; readonly problems: readonly ModelProblem[] }
  | { readonly type: 'lifecycle'; readonly requestId: number; readonly summary: LifecycleSummary }
  | { readonly type: 'lifecycleLanes'; readonly requestId: number; readonly lanes: LifecycleLanes }
  | { readonly type: 'flightRecorder'; readonly requestId: number; readonly index: number; readonly columns: readonly { readonly cpu: number; readonly rows: readonly EventRow[] }[] }
  | { readonly type: 'interleave'; readonly requestId: number; readonly data: InterleaveData };

export const MAX_LIFECYCLE_FINDINGS = 5000;
/** Most lanes one lifecycleLanes request may ask for. */
export const MAX_LIFECYCLE_LANES = 200;
export const MAX_FLIGHT_PER_CPU = 200;
export const MAX_INTERLEAVE_EVENTS = 5000;
