/**
 * Reader for `trace-cmd report` text output.
 *
 * Spec: trace-cmd-report(1) (Documentation/trace-cmd/trace-cmd-report.1.txt in
 * rostedt/trace-cmd) and its printer, tracecmd/trace-read.c + libtraceevent's
 * tep_print_event: the default line is the ftrace line
 * `%16s-%-5d [%03d] %s.%06lu: %-20s %s` (comm, pid, CPU, timestamp, `event:` padded to 20
 * columns, payload), so event lines are handed to the ftrace reader (ftrace/reader.ts). What
 * trace-cmd adds, handled here:
 *   preamble      `version = 6` (older trace-cmd), `cpus=N`, `CPU N is empty`
 *   buffers       `<instance>: ` before each line when the trace.dat holds a named buffer
 *                 (`trace-cmd extract -B NAME`, `record -B`); the record starts after it and
 *                 the name goes to the per-event extra column `buffer` (a string id)
 *   -l            latency columns with a seconds timestamp:
 *                 `comm-pid   1d..2.  2537.033741: event: payload` (comm cut to 8 chars)
 *   -R            raw fields (`prev_comm=... prev_pid=...`): the ftrace shape
 *   -t            nanosecond timestamps (`2537.033741029:`)
 *   dropped       `CPU:N [M EVENTS DROPPED]` / `CPU:N [EVENTS DROPPED]` (lost events)
 * Plugin-formatted payloads (`sched_switch: bash:30603 [120] S ==> chromium:30247 [120]`,
 * `sched_wakeup: ip:456 [120] CPU:001`) are decoded in payload.ts.
 */
import { finishLines, pushLines, stopLines } from '../text-util';
import { LineSplitter, type LineSink } from '../line-splitter';
import type { TraceReader } from '../reader';
import { COLON, LBRACK, NUL, SPACE, isSpace } from '../ascii';
import { FtraceTextReader } from '../ftrace/reader';
import { classifyPayload } from '../ftrace/lines';
import type { ByteSource } from '../../trace/byte-source';
import { TraceBuilder, newEventRecord, type ExtraColumn, type Trace } from '../../trace/trace';
import type { RangeReader, RangeStart } from '../range';

const utf8 = new TextDecoder('utf-8');

/** `-l` output: comm-pid, the CPU digits glued to the flags, then a seconds timestamp. */
const LATENCY_SECONDS = /^\s*([^[]*?)-(\d+)\s+(\d+)([^\s\d[]\S*)\s+(\d+)\.(\d+):(?:\s+|$)/;
const PREAMBLE_VERSION = /^version = (\d+)\s*$/;
const PREAMBLE_CPUS = /^cpus=(\d+)\s*$/;
const CPU_EMPTY = /^CPU (\d+) is empty\s*$/;
const DROPPED = /^CPU:(\d+) \[(?:(\d+) )?EVENTS DROPPED\]\s*$/;
/** A buffer (instance) name in front of the line: one token, a colon, spaces. */
const BUFFER_PREFIX = /^([^\s:[\]]+): +(?=\S)/;

export interface TraceCmdReportOptions {
  maxLineBytes?: number;
  /** A byte range after the file's first event, read apart (as FtraceReaderOptions.range). */
  range?: RangeStart;
}

export class TraceCmdReportReader implements TraceReader, RangeReader, LineSink {
  private readonly b = new TraceBuilder('trace-cmd-report');
  /** The one record refilled for every event (TraceBuilder.push copies it). */
  private readonly rec = newEventRecord();
  private readonly splitter: LineSplitter;
  private readonly inner: FtraceTextReader;
  /** What made this trace-cmd output rather than plain ftrace (for the sniffer). */
  readonly evidence = { preamble: 0, buffers: 0, latency: 0, paddedNames: 0, plainNames: 0 };
  /** CPUs the preamble said are empty. */
  readonly emptyCpus: number[] = [];
  /** Buffer (instance) names seen in line prefixes. */
  readonly buffers = new Set<string>();
  /** Per event: string id of its buffer name (`''` for the top-level buffer / no prefix). */
  private readonly bufferCol: ExtraColumn;
  private readonly noBufferId: number;
  /** The last buffer prefix seen (`name:` bytes) and its string id: most lines repeat it. */
  private lastPrefix: Uint8Array | null = null;
  private lastPrefixId = 0;
  /** Reading a range after the file's first event: the preamble is behind. */
  private readonly afterEvents: boolean;

  constructor(opts: TraceCmdReportOptions = {}) {
    this.splitter = new LineSplitter(this, opts.maxLineBytes, opts.range?.offset);
    this.inner = new FtraceTextReader({ builder: this.b, maxLineBytes: opts.maxLineBytes, ...(opts.range ? { range: opts.range } : {}) });
    this.noBufferId = this.b.strings.intern('');
    this.bufferCol = this.b.extraColumn('buffer', 'u32');
    this.afterEvents = opts.range !== undefined;
  }

  get inOrderOnly(): string | null {
    return this.inner.inOrderOnly;
  }

  get linesSeen(): number {
    return this.splitter.linesSeen;
  }

  /** Whether function_graph lines were read (see FtraceTextReader.sawFuncGraph). */
  get sawFuncGraph(): boolean {
    return this.inner.sawFuncGraph;
  }

  push(chunk: Uint8Array): void {
    pushLines(this.splitter, this.b, chunk);
  }

  stop(message: string): void {
    stopLines(this.splitter, this.b, message);
  }

  finish(source: ByteSource | null): Trace {
    finishLines(this.splitter, this.b);
    return this.b.finish(source);
  }

  /** What is read so far; the last event may still get continuation lines. */
  snapshot(source: ByteSource | null): Trace {
    return this.b.snapshot(source, this.b.meta, this.b.length - 1);
  }

  overlong(lineNo: number, offset: number, maxLineBytes: number): void {
    this.inner.overlong(lineNo, offset, maxLineBytes);
  }

  line(buf: Uint8Array, s: number, e: number, offset: number, lineNo: number): void {
    // Lines trace-cmd adds start in column 0; ftrace event lines start with the padded comm.
    if (e > s && !isSpace(buf[s]) && this.samePrefix(buf, s, e, offset, lineNo)) return;
    if (e > s && !isSpace(buf[s]) && e - s < 4096 && buf.subarray(s, e).indexOf(NUL) < 0) {
      const text = utf8.decode(buf.subarray(s, e));
      if (this.preamble(text, lineNo)) return;
      const prefix = BUFFER_PREFIX.exec(text);
      if (prefix && !/^\d+(?:\.\d+)?$/.test(prefix[1] as string) && looksLikeEventAfter(buf, s + byteLength(prefix[0]), e)) {
        this.buffers.add(prefix[1] as string);
        this.evidence.buffers++;
        const skip = byteLength(prefix[0]);
        const id = this.b.strings.intern(prefix[1] as string);
        this.lastPrefix = new TextEncoder().encode(`${prefix[1] as string}:`);
        this.lastPrefixId = id;
        this.eventLine(buf, s + skip, e, offset + skip, lineNo, id);
        return;
      }
    }
    this.eventLine(buf, s, e, offset, lineNo, this.noBufferId);
  }

  /**
   * Fast path for the common case: the line starts with the same `buffer:` as the last
   * prefixed line, then spaces and an event line. Bytes only; false sends it the slow way.
   */
  private samePrefix(buf: Uint8Array, s: number, e: number, offset: number, lineNo: number): boolean {
    const p = this.lastPrefix;
    if (p === null || e - s <= p.length + 1) return false;
    for (let k = 0; k < p.length; k++) if (buf[s + k] !== p[k]) return false;
    let k = s + p.length;
    if (buf[k] !== SPACE) return false;
    while (k < e && buf[k] === SPACE) k++;
    if (k === e) return false;
    this.evidence.buffers++;
    this.eventLine(buf, k, e, offset + (k - s), lineNo, this.lastPrefixId);
    return true;
  }

  /** `version = 6`, `cpus=N`, `CPU N is empty`, `CPU:N [M EVENTS DROPPED]`. */
  private preamble(text: string, lineNo: number): boolean {
    let m: RegExpExecArray | null;
    const beforeEvents = this.b.length === 0 && !this.afterEvents;
    if (beforeEvents && PREAMBLE_VERSION.test(text)) {
      this.evidence.preamble++;
      return true;
    }
    if ((m = PREAMBLE_CPUS.exec(text))) {
      if (beforeEvents) this.b.meta.onlineCpus = Number(m[1]);
      this.evidence.preamble++;
      return true;
    }
    if ((m = CPU_EMPTY.exec(text))) {
      this.emptyCpus.push(Number(m[1]));
      this.evidence.preamble++;
      return true;
    }
    if ((m = DROPPED.exec(text))) {
      this.b.lost.push({ cpu: Number(m[1]), count: m[2] === undefined ? null : Number(m[2]), line: lineNo, beforeEvent: this.b.length });
      return true;
    }
    return false;
  }

  private eventLine(buf: Uint8Array, s: number, e: number, offset: number, lineNo: number, bufferId: number): void {
    const before = this.b.length;
    if (!(latencyCandidate(buf, s, e) && this.latencyLine(buf, s, e, offset, lineNo))) {
      this.inner.line(buf, s, e, offset, lineNo);
      if (this.b.length > before) this.notePadding(buf, s, before);
    }
    for (let k = before; k < this.b.length; k++) this.bufferCol.push(bufferId);
  }

  /** `-l` output with a seconds timestamp (ftrace's latency format prints microseconds). */
  private latencyLine(buf: Uint8Array, s: number, e: number, offset: number, lineNo: number): boolean {
    const text = utf8.decode(buf.subarray(s, e));
    const m = LATENCY_SECONDS.exec(text);
    if (!m) return false;
    this.evidence.latency++;
    const frac = (m[6] as string).slice(0, 9).padEnd(9, '0');
    const tsNs = this.b.relativeNs(Number(m[5]), Number(frac));
    const rest = text.slice(m[0].length);
    const named = /^([A-Za-z_][\w.]*):(?:\s+|$)/.exec(rest);
    const c = named ? { event: named[1] as string, payloadStart: named[0].length } : classifyPayload(rest, this.b.meta.tracer);
    const payloadStart = byteLength(text.slice(0, m[0].length + c.payloadStart));
    const b = this.b;
    const r = this.rec;
    r.tsNs = tsNs;
    r.cpu = Number(m[3]);
    r.pid = Number(m[2]);
    r.tgid = -1;
    r.commId = b.strings.intern(m[1] as string);
    r.eventId = b.strings.intern(c.event);
    r.flagsId = b.strings.intern(m[4] as string);
    r.line = lineNo;
    r.recOffset = offset;
    r.recLength = e - s;
    r.payloadStart = payloadStart;
    b.push(r);
    return true;
  }

  /** trace-cmd pads `event:` to 20 columns; ftrace prints one space. Counted for the sniffer. */
  private notePadding(buf: Uint8Array, s: number, index: number): void {
    // The payload starts after the padding: look at the bytes just before it.
    const event = this.b.strings.get(this.b.cols.event.get(index));
    if (event.length >= 19) return;
    const payloadStart = this.b.cols.payloadStart.get(index);
    let k = s + payloadStart - 1;
    let spaces = 0;
    while (k > s && buf[k] === SPACE) {
      spaces++;
      k--;
    }
    if (buf[k] !== COLON) return;
    if (spaces >= 2) this.evidence.paddedNames++;
    else this.evidence.plainNames++;
  }
}

/**
 * Whether [s, e) may be a `-l` line: no `[` before the first `: ` (default lines have the
 * `[CPU]` column there). Cheap byte scan; the regex runs only on candidates.
 */
function latencyCandidate(buf: Uint8Array, s: number, e: number): boolean {
  for (let k = s; k + 1 < e; k++) {
    const c = buf[k];
    if (c === LBRACK) return false;
    if (c === COLON && buf[k + 1] === SPACE) return true;
  }
  return false;
}

/** After a buffer prefix: an event line (`comm-pid [cpu]` or latency columns) must follow. */
function looksLikeEventAfter(buf: Uint8Array, s: number, e: number): boolean {
  const text = utf8.decode(buf.subarray(s, Math.min(e, s + 200)));
  return /^\s*\S.*?-\d+\s+(?:\(\s*[\d-]+\)\s+)?(?:\[\d+\]|\d+[^\s\d])/.test(text);
}

function byteLength(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      k++;
    } else n += 3;
  }
  return n;
}

/**
 * Whether `head` is `trace-cmd report` output: its event lines read as ftrace lines, and
 * something only trace-cmd prints is there (the preamble, buffer prefixes, `-l` columns with
 * seconds, or event names padded to 20 columns). Plain ftrace is left to the ftrace reader.
 */
export function sniffTraceCmdReport(head: Uint8Array): string | null {
  const r = new TraceCmdReportReader();
  r.push(head);
  const t = r.finish(null);
  const ev = r.evidence;
  const marked = ev.preamble > 0 || ev.buffers > 0 || ev.latency > 0 || (ev.paddedNames > 0 && ev.paddedNames >= ev.plainNames);
  if (!marked) return 'no trace-cmd preamble (version = N, cpus=N), buffer prefix or padded event names';
  if (t.length === 0 && ev.preamble > 0 && t.issueCount === 0) return null;
  if (t.length > 0 && t.issueCount <= t.length) return null;
  const first = t.issues[0];
  return `no trace-cmd report event lines${first ? ` (line ${first.line}: ${first.message})` : ''}`;
}
