/**
 * Messages between the extension host and the trace webview.
 *
 * Shape follows microsoft/vscode-hexeditor: discriminated unions on `type`, a request/reply
 * envelope keyed by `requestId`, and a `ready` handshake before the host sends anything.
 * The webview never receives the whole trace: it asks for pages of rows (range + filter).
 * Every inbound message is untrusted on both sides; see guards.ts.
 */
import type { EventFilter } from '../core/analysis/event-filter';
import type { LatencyFigures } from '../core/analysis/latency';
import type { AbsNsText } from '../core/trace/time';
import type { PacketColumns } from '../core/formats/capture/columns';

/** What the table and the timeline keep; its meaning (the matcher) is core's. */
export type { EventFilter };

/** Times are nanoseconds relative to the trace origin (the first event). */
export type RelNs = number;

/** Longest filter expression on the wire: core/query's MAX_EXPR_LENGTH (a unit test keeps them equal). */
export const MAX_FILTER_EXPR = 4096;

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
  /** What ended a `ktl record` recording (`trigger traceoff if buf ~ "BUG*" (on ftrace:print)`); absent otherwise. */
  readonly stoppedBy?: string;
  readonly events: number;
  readonly cpus: readonly number[];
  readonly firstTsNs: RelNs;
  readonly durationNs: RelNs;
  /** Absolute time of the origin, decimal nanoseconds (bigint as a string). */
  readonly originNs: AbsNsText;
  /** How times were obtained: real timestamps, latency-format microseconds, or estimated. */
  readonly timeSource: string;
  /** What EventRow.line is: a line of the (text) file, a packet number (captures), or nothing (trace.dat). */
  readonly lineKind: 'line' | 'packet' | 'none';
  readonly eventCounts: readonly CountEntry[];
  readonly cpuCounts: readonly CountEntry[];
  readonly tasks: readonly TaskEntry[];
  readonly lostEvents: number;
  readonly errorCount: number;
  /** The first few parse errors, for display. */
  readonly errors: readonly { readonly line: number; readonly message: string }[];
  /**
   * strace: the timeline's tracks are tasks, not CPUs (every call is on "CPU 0"): the tasks with
   * the most events (at most MAX_TASK_TRACKS), `id` = the track number the timeline data uses
   * (the pid; 0 when strace printed none).
   */
  readonly taskTracks?: readonly { readonly id: number; readonly label: string }[];
  /**
   * Where events are missing, in file order (at most MAX_SUMMARY_GAPS): `CPU:N [LOST M EVENTS]`
   * (`count` M, null when not said) and `##### CPU N buffer started ####`, at the time of the
   * first event after them (the marks carry none). Drawn on their CPU's track.
   */
  readonly gaps?: readonly TraceGapView[];
  /** Captures: the interfaces (tracks) by index (the `cpu` column), named from the file. */
  readonly interfaces?: readonly { readonly index: number; readonly name: string; readonly linkType: string }[];
  /**
   * Present while the file is still being read: this summary, the rows and the timeline are of
   * the events read so far (bytes of the file), and fill in as reading goes on.
   */
  readonly reading?: { readonly bytesRead: number; readonly totalBytes: number };
}

export interface TraceGapView {
  readonly kind: 'lost' | 'buffer-started';
  readonly cpu: number;
  readonly count: number | null;
  /** 1-based line of the mark in the file. */
  readonly line: number;
  readonly tsNs: RelNs;
}

/** Gaps sent with a summary; a trace_pipe read of a flooded buffer can have thousands. */
export const MAX_SUMMARY_GAPS = 2000;

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
  /** Captures: the packet-list columns (Wireshark's), absent for other traces. */
  readonly packet?: PacketRowView;
}

/**
 * A packet as a row of Wireshark's packet list (core/formats/capture/columns.ts). No. is
 * EventRow.line; the times are computed from `timeNs`, exact, never from float seconds.
 */
export interface PacketRowView extends PacketColumns {
  /** Absolute time, decimal ns since 1970 (Trace.absNs as a string). */
  readonly timeNs: AbsNsText;
  /**
   * Time of the previous displayed packet in file order (the packets passing the row request's
   * filter, whatever the sort), null for the first: Wireshark's "delta time displayed".
   */
  readonly prevTimeNs: AbsNsText | null;
  /** Decimal digits of the interface's timestamp resolution (pcap µs 6, ns 9; pcapng if_tsresol), at most 9. */
  readonly digits: number;
}

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'rows'; readonly requestId: number; readonly start: number; readonly count: number; readonly filter: EventFilter; readonly sort?: RowSort }
  | { readonly type: 'revealLine'; readonly line: number }
  | TimelineToHost
  | FdsToHost
  | CaptureToHost
  | PacketToHost
  | JourneyToHost
  | LifecycleToHost
  | QueryToHost;

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
  | FdsToWebview
  | CaptureToWebview
  | PacketToWebview
  | JourneyToWebview
  | LifecycleToWebview
  | QueryToWebview;

/**
 * The webview's requests: every message it sends with a `requestId`. The reply is the
 * HostToWebview message of the same `type` carrying the same `requestId`, or a `requestError`
 * with that id. The webview allocates ids from one counter (webview/rpc.ts); the host answers
 * `ready`, `revealLine`, `revealEvent` and the capture offset itself and forwards every request
 * to the worker as it came (src/worker/webview-handlers.ts answers it).
 */
export type WebviewRequest = Extract<WebviewToHost, { readonly requestId: number }>;
export type RequestKind = WebviewRequest['type'];
/** The reply to a request of kind K. */
export type ReplyTo<K extends RequestKind> = Extract<HostToWebview, { readonly type: K; readonly requestId: number }>;
export type WebviewReply = ReplyTo<RequestKind>;

/** Tasks drawn as timeline tracks (strace); the busiest ones. */
export const MAX_TASK_TRACKS = 64;

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

/**
 * A timeline track's identity: what it is a timeline of, and which one. `cpu`: a CPU of the
 * trace; `task`: a task (strace, id = pid, 0 when strace printed none); `interface`: an
 * interface of the capture opened (id = its index); `attached`: an interface of a capture
 * attached to the trace's timeline (id = its index in that capture).
 */
export interface TrackId {
  readonly kind: 'cpu' | 'task' | 'interface' | 'attached';
  readonly id: number;
}

/** One track (a CPU, a task, an interface) over the requested range, in `resolution` equal buckets. */
export interface TimelineTrack {
  readonly track: TrackId;
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
  /** An attached capture's packets linked to the trace's events in the range (absent: no capture attached). */
  readonly links?: TimelineLinks;
}

/** Max packet links in one timeline reply; more in the range: none are listed (zoom in). */
export const MAX_TIMELINE_LINKS = 512;

/**
 * Packets of an attached capture linked to the `net_dev_xmit` / `netif_receive_skb` event they
 * are (core/analysis/capture/packet-links.ts), where either end is in the range: column k is
 * one link. `total` counts them all; the columns are empty when total > MAX_TIMELINE_LINKS.
 */
export interface TimelineLinks {
  readonly total: number;
  /** The packet: event index in the capture, its interface (track `attached`), trace-relative time. */
  readonly packet: Uint32Array;
  readonly iface: Uint32Array;
  readonly packetTsNs: Float64Array;
  /** The trace event: its index, CPU and time. */
  readonly event: Uint32Array;
  readonly cpu: Uint32Array;
  readonly eventTsNs: Float64Array;
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
  /**
   * What the brushed range [startNs, endNs) holds under `filter`: counts per event, CPU and task,
   * each task's running time per CPU (sched_switch), the first and last event (the range panel).
   */
  | { readonly type: 'rangeStats'; readonly requestId: number; readonly startNs: RelNs; readonly endNs: RelNs; readonly filter: EventFilter }
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
  | { readonly type: 'rangeStats'; readonly requestId: number; readonly stats: RangeStatsView }
  /** position: the row's position in the filtered list, null when the filter hides it. */
  | { readonly type: 'eventAt'; readonly requestId: number; readonly row: EventRow; readonly position: number | null };

/** The range panel's numbers (core/analysis/range-stats.ts); lists cut at MAX_RANGE_ROWS, totals exact. */
export interface RangeStatsView {
  readonly startNs: RelNs;
  readonly endNs: RelNs;
  readonly total: number;
  /** By descending count. */
  readonly events: readonly CountEntry[];
  /** name = CPU number as text, by ascending CPU. */
  readonly cpus: readonly CountEntry[];
  /** By descending count. */
  readonly tasks: readonly TaskEntry[];
  /** Tasks' running time per CPU inside the range, ns (sched_switch slices); empty without sched_switch. */
  readonly runTime: readonly { readonly cpu: number; readonly comm: string; readonly pid: number; readonly runNs: number }[];
  readonly first: EventRow | null;
  readonly last: EventRow | null;
}

/** Rows per list of a range panel reply. */
export const MAX_RANGE_ROWS = 500;

/** Most buckets a timeline request may ask for. */
export const MAX_TIMELINE_RESOLUTION = 8192;
/** A track lists its events one by one up to this many in the range (the host enforces it). */
export const MAX_TIMELINE_EVENTS = 4000;
/** Task slices listed one by one up to this many per track; above, one task per bucket. */
export const MAX_TIMELINE_SLICES = 4000;

// ---- strace: per file descriptor views ---------------------------------------------------
// For strace traces only: one entry per fd life (core/analysis/strace-fds.ts), the write
// stalls (seed 003: select keeps asking for fd 5 writable, it never is, sendmsg never comes)
// first. Uses are listed up to MAX_FD_USES per fd; `useCount` says how many there were.

export interface FdUseRow {
  /** Event index in the trace (as EventRow.index). */
  readonly index: number;
  /** 1-based line in the trace file. */
  readonly line: number;
  readonly tsNs: RelNs;
  readonly pid: number;
  readonly call: string;
  /** open, close, io, wait (a readiness query) or other. */
  readonly kind: string;
  /** For readiness queries: what was asked and what came back ready (`in|out`, `-` for none). */
  readonly asked: string | null;
  readonly ready: string | null;
  readonly ret: string | null;
  readonly errno: string | null;
}

export interface FdSummary {
  /** Thread group whose fd table holds the fd; -1 when strace printed no pids (no -f). */
  readonly process: number;
  readonly fd: number;
  readonly path: string | null;
  readonly firstTsNs: RelNs;
  readonly lastTsNs: RelNs;
  readonly closed: boolean;
  readonly calls: readonly CountEntry[];
  readonly waitsForRead: number;
  readonly readyForRead: number;
  readonly waitsForWrite: number;
  readonly readyForWrite: number;
  readonly reads: number;
  readonly writes: number;
  /** Asked writable `writePolls` times since `sinceTsNs`, never answered writable, nothing written since. */
  readonly stall: { readonly writePolls: number; readonly sinceTsNs: RelNs; readonly sinceLine: number; readonly everWritable: boolean } | null;
  readonly useCount: number;
  readonly uses: readonly FdUseRow[];
}

export type FdsToHost = { readonly type: 'fds'; readonly requestId: number };
export type FdsToWebview = { readonly type: 'fds'; readonly requestId: number; readonly views: readonly FdSummary[]; readonly total: number };

/** Fd lives sent (stalls first); `total` counts them all. */
export const MAX_FD_VIEWS = 2000;
/** Uses listed per fd life. */
export const MAX_FD_USES = 200;

// ---- a capture on the trace's timeline ---------------------------------------------------
// A capture attached to a trace editor ("Kernel Trace: Add Capture to Timeline") draws its
// interfaces as tracks under the CPUs, in the trace's time. The clocks differ (capture: wall
// clock; trace: a kernel clock): the offset is estimated from matching events
// (core/analysis/capture/align.ts) and can be set by hand. Capture tracks come in the same
// TimelineData as `{ kind: 'attached', id: interface index }`, their events' `index` being
// packet indexes in the capture (not trace events).

export interface CaptureOverlayInfo {
  /** The capture's file name. */
  readonly name: string;
  readonly packets: number;
  /** Interface names by index (track `{ kind: 'attached', id: k }`). */
  readonly interfaces: readonly string[];
  /** The estimate: capture wall clock - trace clock, decimal ns; null when nothing matched. */
  readonly estimate: { readonly offsetNs: string; readonly method: string; readonly matches: number; readonly residualNs: number } | null;
  /** The offset in use (decimal ns): the user's when set, else the estimate's, else first packet = first event. */
  readonly offsetNs: string;
  readonly userSet: boolean;
}

export type CaptureToHost =
  /** Set the offset by hand (decimal ns, capture wall clock - trace clock); null = back to the estimate. */
  | { readonly type: 'setCaptureOffset'; readonly offsetNs: string | null }
  | { readonly type: 'detachCapture' }
  /** Open packet `index` (0-based event index in the attached capture) in the capture's own editor. */
  | { readonly type: 'openCapturePacket'; readonly index: number };

export type CaptureToWebview = { readonly type: 'captureOverlay'; readonly overlay: CaptureOverlayInfo | null };
// ---- packets (captures) -----------------------------------------------------------------
// A capture's packets are the events; the details of one packet (its layers of fields with
// byte ranges, and its bytes) are asked for one packet at a time, and the capture's findings
// once. Every string here comes from the capture (untrusted): textContent only.

/** One decoded field; offset/length are its bytes in the packet (offset from the first captured byte). */
export interface PacketFieldView {
  /** Wireshark display-filter name, e.g. `ip.ttl`. */
  readonly name: string;
  readonly value: string;
  readonly offset: number;
  readonly length: number;
}

export interface PacketLayerView {
  /** `eth`, `vlan`, `ip`, `tcp`, ... */
  readonly name: string;
  readonly offset: number;
  readonly length: number;
  readonly fields: readonly PacketFieldView[];
}

export interface PacketDetails {
  /** Event index in the trace (EventRow.index). */
  readonly index: number;
  /** 1-based packet number (Wireshark's frame number). */
  readonly number: number;
  readonly interface: string;
  readonly linkType: string;
  /** Bytes captured, and the packet's length on the wire. */
  readonly caplen: number;
  readonly len: number;
  readonly summary: string;
  /** The first min(caplen, MAX_PACKET_BYTES) captured bytes. */
  readonly bytes: Uint8Array;
  readonly layers: readonly PacketLayerView[];
  readonly problems: readonly { readonly kind: string; readonly message: string; readonly offset: number }[];
}

/** A capture finding (`ktl findings`), for the findings panel. */
export interface CaptureFinding {
  readonly kind: string;
  readonly severity: 'error' | 'warning' | 'note';
  /** 1-based packet number, or null for findings about the whole file. */
  readonly packet: number | null;
  readonly message: string;
}

/** Most bytes of one packet sent to the webview (the hex view); longer packets are cut and say so. */
export const MAX_PACKET_BYTES = 16384;
/** Most findings sent to the webview and published as diagnostics. */
export const MAX_FINDINGS = 2000;

export type PacketToHost =
  /** Details and bytes of the packet at event index `index`. */
  | { readonly type: 'packet'; readonly requestId: number; readonly index: number }
  /** The capture's findings. */
  | { readonly type: 'findings'; readonly requestId: number };

export type PacketToWebview =
  | { readonly type: 'packet'; readonly requestId: number; readonly packet: PacketDetails }
  | { readonly type: 'findings'; readonly requestId: number; readonly findings: readonly CaptureFinding[]; readonly total: number }
  /** Select the packet at event index `index` (a Problems entry's packet link). */
  | { readonly type: 'selectPacket'; readonly index: number };

// ---- packet journeys (captures) -------------------------------------------------------------
// From a selected ICMP echo or TCP segment: its hops across the captures in the workspace.

export interface JourneyHopView {
  /** Workspace-relative path of the capture. */
  readonly file: string;
  readonly interface: string;
  /** 1-based packet number in `file`. */
  readonly packet: number;
  /** Absolute wall-clock ns (bigint as a decimal string). */
  readonly timeNs: AbsNsText;
  /** `request` / `reply` (ICMP echoes), `segment` / `ack` (TCP). */
  readonly what: string;
  /** `in` / `out` where the capture says, else ''. */
  readonly direction: string;
  /** The hop is in the capture this editor shows (its packet can be selected here). */
  readonly here: boolean;
}

export interface PacketJourney {
  /** `ICMP echo 10.78.0.1 -> 10.78.0.2 id 2652 seq 1`, `TCP 10.78.0.1.45412 > 10.78.0.2.7878 [P.] seq 3674893120 len 8`. */
  readonly key: string;
  /** `seen`: a TCP segment that takes no sequence space (nothing to acknowledge). */
  readonly status: 'answered' | 'unanswered' | 'reply-only' | 'seen';
  readonly hops: readonly JourneyHopView[];
  /** Index into hops of where the packet was last seen. */
  readonly lastSeen: number;
  /** What should have come next and did not, or null when the journey looks complete. */
  readonly expectedNext: string | null;
  /** Captures searched (this one included), and those that could not be read with why. */
  readonly files: number;
  readonly errors: readonly string[];
}

/** Most other captures a journey searches (the first found in the workspace). */
export const MAX_JOURNEY_FILES = 32;

export type JourneyToHost = { readonly type: 'journey'; readonly requestId: number; readonly index: number };
/** journey null: the packet is neither an ICMP echo nor a TCP segment; `reason` says so. */
export type JourneyToWebview = { readonly type: 'journey'; readonly requestId: number; readonly journey: PacketJourney | null; readonly reason: string };
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
  /** Its CPU lost events after its last step: where it ended is unknown ("incomplete: events lost"), not `state`. */
  readonly lost: boolean;
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
    /** Index into LifecycleSummary.states, or LANE_LOST_STATE: "incomplete: events lost" (from a loss on the object's CPU to its next step). */
    readonly state: Uint8Array;
    readonly startNs: Float64Array;
    readonly endNs: Float64Array;
    /** Event index and 1-based line of the step that began the segment (a lost segment: the step before, and the gap's line). */
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
/** A lane segment's state meaning "incomplete: events lost" (core LOST_SEGMENT; models have at most 250 states). */
export const LANE_LOST_STATE = 254;
export const LANE_LOST_TEXT = 'incomplete: events lost';
/** Most lanes one lifecycleLanes request may ask for. */
export const MAX_LIFECYCLE_LANES = 200;
export const MAX_FLIGHT_PER_CPU = 200;
export const MAX_INTERLEAVE_EVENTS = 5000;

// --- Filter expressions, find, latency (issue 14; core/query, core/analysis/latency.ts) -------

/** Where an expression is wrong: the parser's message and the 1-based column it points at. */
export interface QueryProblem {
  readonly message: string;
  readonly column: number;
}

/**
 * The table's sort: one column, either way; absent = file order. `source` … `info` are a
 * capture's packet-list columns (src/worker/row-sort.ts: addresses by value, as Wireshark).
 */
export type SortColumn = 'line' | 'ts' | 'cpu' | 'pid' | 'comm' | 'event' | 'source' | 'destination' | 'protocol' | 'length' | 'info';
export interface RowSort {
  readonly column: SortColumn;
  readonly descending: boolean;
}

/** Bins of a latency histogram: edgesNs has one more entry than counts (log-spaced). */
export interface LatencyHistogram {
  readonly edgesNs: readonly number[];
  readonly counts: readonly number[];
}

export interface LatencyInstance {
  /** Event indices of the pair, their file lines, the open's time and the duration. */
  readonly open: number;
  readonly close: number;
  readonly openLine: number;
  readonly closeLine: number;
  readonly openTsNs: RelNs;
  readonly durNs: number;
}

export interface LatencyData extends LatencyFigures {
  readonly histogram: LatencyHistogram;
  /** Longest first, at most MAX_LATENCY_INSTANCES. */
  readonly worst: readonly LatencyInstance[];
}

/** Instances listed per latency reply (worst, or those of a brushed duration range). */
export const MAX_LATENCY_INSTANCES = 200;

export interface LatencyQuery {
  readonly open: string;
  readonly close: string;
  /** Key field of the opening / closing event; null = no key (or the open's key for the close). */
  readonly openKey: string | null;
  readonly closeKey: string | null;
}

export type QueryToHost =
  /** Is this expression valid for this trace? (The filter bar asks as the user types.) */
  | { readonly type: 'checkQuery'; readonly requestId: number; readonly expr: string }
  /**
   * The next (direction 1) or previous (-1) row of the table (filter + sort) after position
   * `from` (-1: before the first) whose event matches `expr` (a filter expression) or contains
   * `text` (case-insensitive, the display text); wraps around once.
   */
  | {
      readonly type: 'find';
      readonly requestId: number;
      readonly filter: EventFilter;
      readonly sort: RowSort | null;
      readonly expr: string;
      readonly text: string;
      readonly from: number;
      readonly direction: 1 | -1;
    }
  /** Position of event `index` in the table's list (filter + sort): a timeline pick under a sort. */
  | { readonly type: 'positionOf'; readonly requestId: number; readonly filter: EventFilter; readonly sort: RowSort | null; readonly index: number }
  | ({ readonly type: 'latency'; readonly requestId: number } & LatencyQuery)
  /** The pairs whose duration is in [loNs, hiNs] (a brushed stretch of the histogram), longest first. */
  | ({ readonly type: 'latencyInstances'; readonly requestId: number; readonly loNs: number; readonly hiNs: number } & LatencyQuery);

export type QueryToWebview =
  | { readonly type: 'checkQuery'; readonly requestId: number; readonly problem: QueryProblem | null }
  | {
      readonly type: 'find';
      readonly requestId: number;
      /** Position in the table's list and event index of the match; null when nothing matches. */
      readonly position: number | null;
      readonly index: number | null;
      readonly problem: QueryProblem | null;
    }
  | { readonly type: 'positionOf'; readonly requestId: number; readonly position: number | null }
  | { readonly type: 'latency'; readonly requestId: number; readonly data: LatencyData }
  | { readonly type: 'latencyInstances'; readonly requestId: number; readonly total: number; readonly instances: readonly LatencyInstance[] };
