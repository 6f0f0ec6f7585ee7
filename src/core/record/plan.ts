/**
 * What a recording writes into tracefs, in which order, and how each write is undone: pure
 * planning over the user's request and the machine's `available_events` (read by io/). The
 * session (io/record-session.ts) performs these steps and, however it ends, the undo steps.
 *
 * tracefs facts this relies on (Documentation/trace/ftrace.rst, events.rst; verified on this
 * machine): an instance (`instances/NAME`) has its own buffer, `tracing_on`, `events/` and
 * `options/`; `options/copy_trace_marker` copies writes to the global `trace_marker` into it;
 * `traceoff if buf ~ "GLOB"` on `events/ftrace/print/trigger` turns the instance off at a
 * matching marker; `!traceoff` removes a traceoff trigger whatever its filter; while a
 * copying instance is off, writes to the global trace_marker fail with EBADF — so the copy
 * option is set last (after tracing_on=1) and cleared first.
 */

/** A machine where nothing can be recorded, or an event it does not have: `ktl` exits 2. */
export class RecordUnavailableError extends Error {}
/** A request that is wrong whatever the machine (`ktl` exits 1). */
export class RecordUsageError extends Error {}

export interface EventExpr {
  /** `SYSTEM:EVENT`. */
  readonly event: string;
  /** An ftrace filter expression (events.rst §5), written as given. */
  readonly expr: string;
}

export interface RecordRequest {
  /** `SYSTEM:EVENT` or `SYSTEM:*` (every event of the system). */
  readonly events: readonly string[];
  readonly filters: readonly EventExpr[];
  /** Stop when a trace_marker write matches this glob (ftrace's `~` operator). */
  readonly stopMarker?: string;
  /** Stop at the first `event` whose fields match `expr`. */
  readonly stopEvent?: EventExpr;
  /** Ring buffer size per CPU, KiB; undefined keeps the instance's default. */
  readonly bufferKb?: number;
  /** Copy the application's global trace_marker writes into the instance (forced on by stopMarker). */
  readonly markers: boolean;
}

export type StepKind = 'tracing_on' | 'buffer' | 'filter' | 'enable' | 'trigger' | 'option';

/** One write of `value` to `path` (relative to the tracefs root). */
export interface Step {
  readonly kind: StepKind;
  readonly path: string;
  readonly value: string;
  /** For the CLI's "what it set up" and for error messages. */
  readonly what: string;
  /** The event this step belongs to (filters and triggers: for the kernel's error_log). */
  readonly event?: string;
}

export interface RecordPlan {
  readonly instance: string;
  /** `instances/NAME`, relative to the tracefs root. */
  readonly dir: string;
  /** Every event recorded, `SYSTEM:EVENT`, `SYSTEM:*` expanded. */
  readonly events: readonly string[];
  /** Writes after `mkdir dir`, in order. */
  readonly setup: readonly Step[];
  /** Writes before `rmdir dir`, in order: each is attempted whatever the others did. */
  readonly undo: readonly Step[];
  /** The trigger that ends the recording, as the summary names it; null without one. */
  readonly stopTrigger: string | null;
  /** Where the copy option lives: cleared the moment the stop is seen (EBADF otherwise). */
  readonly copyMarkerPath: string | null;
  readonly tracingOnPath: string;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** C0 controls and DEL: a line break would end the kernel's one-line filter string. */
const CONTROL = { test: (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) };

/** `SYSTEM:EVENT` (or `SYSTEM/EVENT`) -> [system, event]; names are path components, so no `..`, no `/`. */
export function splitEvent(spec: string, allowStar: boolean): [string, string] {
  const m = /^([^:/]+)[:/]([^:/]+)$/.exec(spec);
  const sys = m?.[1];
  const ev = m?.[2];
  if (sys === undefined || ev === undefined || !NAME.test(sys) || !(NAME.test(ev) || (allowStar && ev === '*'))) {
    throw new RecordUsageError(`"${spec}" is not SYSTEM:EVENT${allowStar ? ' or SYSTEM:*' : ''}`);
  }
  return [sys, ev];
}

/** `available_events` text (`system:event` per line) -> a set. */
export function parseAvailableEvents(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (/^[^:\s]+:[^:\s]+$/.test(t)) out.add(t);
  }
  return out;
}

/** Expands `SYSTEM:*` and checks every event exists; the first missing one is named. */
export function resolveEvents(specs: readonly string[], available: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    const [sys, ev] = splitEvent(spec, true);
    const found = ev === '*' ? [...available].filter((e) => e.startsWith(`${sys}:`)).sort() : available.has(`${sys}:${ev}`) ? [`${sys}:${ev}`] : [];
    if (found.length === 0) {
      throw new RecordUnavailableError(ev === '*' ? `no event of system "${sys}" on this machine (available_events)` : `event ${sys}:${ev} does not exist on this machine (not in available_events)`);
    }
    for (const e of found) {
      if (seen.has(e)) continue;
      seen.add(e);
      out.push(e);
    }
  }
  return out;
}

/** ftrace's filter strings are double-quoted with no escapes: a glob can hold neither `"` nor a line break. */
export function markerGlobTrigger(glob: string): string {
  if (glob === '' || /["\\]/.test(glob) || CONTROL.test(glob)) {
    throw new RecordUsageError('--stop-marker: the glob must be non-empty, without double quotes, backslashes or control characters (ftrace strings have no escapes)');
  }
  return `traceoff if buf ~ "${glob}"`;
}

/** A filter expression is one line of text to the kernel: a line break would end it. */
function checkExpr(flag: string, e: EventExpr): void {
  if (e.expr.trim() === '' || CONTROL.test(e.expr)) throw new RecordUsageError(`${flag} ${e.event}: the expression must be one non-empty line`);
}

/** `EVENT:EXPR` where EVENT is `SYSTEM:EVENT`: the expression is everything after the second colon. */
export function parseEventExpr(flag: string, spec: string): EventExpr {
  const m = /^([^:]+:[^:]+?):([\s\S]*)$/.exec(spec);
  if (!m) throw new RecordUsageError(`${flag} expects SYSTEM:EVENT:EXPR, got "${spec}"`);
  const e = { event: m[1] as string, expr: (m[2] as string).trim() };
  splitEvent(e.event, false);
  checkExpr(flag, e);
  return e;
}

export function eventDir(dir: string, event: string): string {
  const [sys, ev] = splitEvent(event, false);
  return `${dir}/events/${sys}/${ev}`;
}

/** Instance names are ours alone: `ktl-` then lowercase hex from the caller's random bytes. */
export function instanceName(random: Uint8Array): string {
  return `ktl-${[...random].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export const INSTANCE_PREFIX = 'ktl-';

export function planRecording(req: RecordRequest, available: ReadonlySet<string>, instance: string): RecordPlan {
  if (!instance.startsWith(INSTANCE_PREFIX) || !NAME.test(instance)) throw new RecordUsageError(`bad instance name ${instance}`);
  if (req.events.length === 0 && req.stopMarker === undefined && !req.markers) throw new RecordUsageError('nothing to record: give at least one --event (or markers)');
  if (req.bufferKb !== undefined && !(Number.isSafeInteger(req.bufferKb) && req.bufferKb > 0)) throw new RecordUsageError('--buffer-kb expects a positive integer (KiB per CPU)');
  const dir = `instances/${instance}`;
  const events = resolveEvents(req.events, available);
  const setup: Step[] = [];
  const undo: Step[] = [];
  const tracingOnPath = `${dir}/tracing_on`;
  // Off while it is being set up: nothing half-configured is recorded.
  setup.push({ kind: 'tracing_on', path: tracingOnPath, value: '0', what: 'tracing off while setting up' });
  if (req.bufferKb !== undefined) setup.push({ kind: 'buffer', path: `${dir}/buffer_size_kb`, value: String(req.bufferKb), what: `buffer ${req.bufferKb} KiB per CPU` });

  const filters = new Map<string, string>();
  for (const f of req.filters) {
    checkExpr('--filter', f);
    const [e] = resolveEvents([f.event], available);
    if (!events.includes(e as string)) throw new RecordUsageError(`--filter ${f.event}: that event is not recorded (add --event ${f.event})`);
    if (filters.has(e as string)) throw new RecordUsageError(`--filter ${f.event} given twice: combine the expressions with && or ||`);
    filters.set(e as string, f.expr);
  }
  for (const [event, expr] of filters) {
    setup.push({ kind: 'filter', path: `${eventDir(dir, event)}/filter`, value: expr, what: `filter ${event}: ${expr}`, event });
  }
  for (const event of events) setup.push({ kind: 'enable', path: `${eventDir(dir, event)}/enable`, value: '1', what: `event ${event}`, event });

  let stopTrigger: string | null = null;
  if (req.stopEvent) {
    checkExpr('--stop-event', req.stopEvent);
    const [e] = resolveEvents([req.stopEvent.event], available);
    const trig = `traceoff if ${req.stopEvent.expr}`;
    setup.push({ kind: 'trigger', path: `${eventDir(dir, e as string)}/trigger`, value: trig, what: `stop at ${e}: ${trig}`, event: e as string });
    stopTrigger = `${trig} (on ${e})`;
  }
  const markers = req.markers || req.stopMarker !== undefined;
  if (req.stopMarker !== undefined) {
    const trig = markerGlobTrigger(req.stopMarker);
    setup.push({ kind: 'trigger', path: `${dir}/events/ftrace/print/trigger`, value: trig, what: `stop at a marker: ${trig}`, event: 'ftrace:print' });
    stopTrigger = stopTrigger === null ? `${trig} (on ftrace:print)` : `${stopTrigger}; ${trig} (on ftrace:print)`;
  }
  setup.push({ kind: 'tracing_on', path: tracingOnPath, value: '1', what: 'tracing on' });
  const copyMarkerPath = markers ? `${dir}/options/copy_trace_marker` : null;
  if (copyMarkerPath) setup.push({ kind: 'option', path: copyMarkerPath, value: '1', what: 'trace_marker writes copied in (options/copy_trace_marker)' });

  // Undo: the copy option first (EBADF for the application otherwise), then off, then what
  // each setup step set, newest first.
  if (copyMarkerPath) undo.push({ kind: 'option', path: copyMarkerPath, value: '0', what: 'copy_trace_marker off' });
  undo.push({ kind: 'tracing_on', path: tracingOnPath, value: '0', what: 'tracing off' });
  for (const s of [...setup].reverse()) {
    if (s.kind === 'trigger') undo.push({ ...s, value: '!traceoff', what: `remove trigger on ${s.event}` });
    else if (s.kind === 'enable') undo.push({ ...s, value: '0', what: `disable ${s.event}` });
    else if (s.kind === 'filter') undo.push({ ...s, value: '0', what: `clear filter on ${s.event}` });
  }
  return { instance, dir, events, setup, undo, stopTrigger, copyMarkerPath, tracingOnPath };
}
