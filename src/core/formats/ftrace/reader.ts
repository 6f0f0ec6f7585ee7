/**
 * Reader for ftrace text output: /sys/kernel/tracing/trace, trace_pipe, and instances.
 *
 * Spec: Linux Documentation/trace/ftrace.rst ("The File System", "Output format",
 * "latency trace format", "function_graph tracer") and the printers that produce the text,
 * kernel/trace/trace_output.c (trace_print_context, lat_print_generic, lat_print_timestamp)
 * and kernel/trace/trace_functions_graph.c (print_graph_prologue, print_graph_duration).
 *
 * Line shapes handled (any mix, with or without the `# tracer:` header):
 *   default      `  <comm>-<pid> [(<tgid>)] [<cpu>] [<flags>] <sec>.<frac>: <event>: <payload>`
 *                flags of any width (`d..2`, `d.Z1.`, `b.s2.`), tgid `(  1234)` or `(-------)`,
 *                irq-info off (no flags), counter clocks (integer timestamps)
 *   latency      `  <comm>-<pid>  <cpu><flags>  <usecs>us<mark>: <payload>`
 *   function     payload `func <-parent`
 *   func_graph   ` <cpu>) [proc |] <duration> |  <indent>func() {` / `func();` / `}`,
 *                optional funcgraph-abstime column, `=>` task switches, irq markers, comments
 *   annotations  `CPU:<n> [LOST <m> EVENTS]`, `##### CPU <n> buffer started ####`
 *   stacks       ` => symbol` lines after `<stack trace>` / `<user stack trace>` events
 *   systrace     the same text inside a legacy systrace/Catapult HTML page (systrace-html.ts)
 *
 * The hot path (default lines) works on bytes and interns names straight from them; only
 * the rarer shapes are decoded to strings and matched with regular expressions.
 */
import { LineSplitter, type LineSink } from '../line-splitter';
import { SystraceEnvelope } from './systrace-html';
import type { TraceReader } from '../reader';
import {
  COLON,
  DASH,
  DOT,
  EQUALS,
  GT,
  HASH,
  LBRACK,
  LPAREN,
  NUL,
  RBRACK,
  RPAREN,
  isDigit,
  isIdentStart,
  NAME_BYTES,
  isSpace,
} from '../ascii';
import type { ByteSource } from '../../trace/byte-source';
import { relNs, ticks, ticksOnNsAxis, type RelNs } from '../../trace/time';
import { TraceBuilder, newEventRecord, type TimeSource, type Trace } from '../../trace/trace';
import { classifyPayload, parseFuncGraphLine, parseLatencyLine, type FuncGraphLine } from './lines';
import { finishLines, preview, pushLines, stopLines, utf8Length } from '../text-util';
import { indexOfByte } from '../byte-search';
import { LineScan, Stop } from './line-scan/line-scan';
import { STOPPED_BY_PREFIX } from './ktl-header';
import type { RangeReader, RangeStart } from '../range';

const utf8 = new TextDecoder('utf-8');

/** What timestampToken returns for a token that is not a timestamp (tokenWasTimestamp says so). */
const NOT_A_TIMESTAMP = relNs(0);

/** Lines handed back by the scanner before it may be dropped for reading too few itself. */
const SCAN_TRIAL_LINES = 4096;

/** Result of scanning the `comm-pid [tgid] [cpu]` prefix. */
interface Prefix {
  commStart: number;
  commEnd: number;
  pid: number;
  tgid: number;
  cpu: number;
  /** Index just past `]`. */
  after: number;
}

export interface FtraceReaderOptions {
  /** Longest line kept (bytes); longer lines are reported and skipped. */
  maxLineBytes?: number;
  /**
   * The builder to fill. Readers of formats whose lines are ftrace lines (trace-cmd report
   * text) pass their own, to record their format and meta, and feed lines to `line()`.
   */
  builder?: TraceBuilder;
  /**
   * A byte range after the file's first event, read apart (io/parallel-load.ts): offsets are the
   * file's, the origin and tracer are the head's, and header lines are ignored as they are
   * after an event.
   */
  range?: RangeStart;
}

export class FtraceTextReader implements TraceReader, RangeReader, LineSink {
  private readonly b: TraceBuilder;
  /** The one record refilled for every event (TraceBuilder.push copies it). */
  private readonly rec = newEventRecord();
  private readonly splitter: LineSplitter;
  private readonly prefix: Prefix = { commStart: 0, commEnd: 0, pid: 0, tgid: -1, cpu: 0, after: 0 };
  private readonly emptyId: number;
  /** Whether the previous line was an event that continuation lines (` => sym`) may extend. */
  private lastWasEvent = false;
  /** function_graph state, per CPU. */
  private readonly graph = new Map<number, GraphCpuState>();
  private timestampedEvents = 0;
  /** Legacy systrace HTML: passes on only the lines of the trace inside the page. */
  private readonly envelope = new SystraceEnvelope();
  /** Reading a range after the file's first event: events came before it. */
  private readonly afterEvents: boolean;
  /** Whether the last timestampToken call met a timestamp. */
  private tokenWasTimestamp = false;
  /** Set when a range read apart meets function_graph lines (their nesting is per CPU, in file order). */
  inOrderOnly: string | null = null;
  /** The WebAssembly scanner of the common lines (line-scan/): made at the first chunk it can read; null when unavailable. */
  private scanner: LineScan | null | undefined;
  /** Lines the scanner handed back, and events it read: when the first outnumber the second, it is dropped. */
  private slowLines = 0;
  private scannedEvents = 0;
  /** Its memory, as counted in the budget. */
  private scannerBytes = 0;

  constructor(opts: FtraceReaderOptions = {}) {
    this.b = opts.builder ?? new TraceBuilder('ftrace');
    this.splitter = new LineSplitter(this, opts.maxLineBytes, opts.range?.offset);
    this.emptyId = this.b.strings.intern('');
    this.afterEvents = opts.range !== undefined;
    if (opts.range) {
      this.b.seedOrigin(opts.range.seed.originNs);
      this.b.meta.tracer = opts.range.seed.tracer;
      this.envelope.startPlain();
    }
  }

  get linesSeen(): number {
    return this.splitter.linesSeen;
  }

  /** Events the WebAssembly scanner read (the rest, the JavaScript hot path). */
  get scannedByWasm(): number {
    return this.scannedEvents;
  }

  /** Whether function_graph lines were read (their times and tasks depend on the lines before them). */
  get sawFuncGraph(): boolean {
    return this.graph.size > 0;
  }

  push(chunk: Uint8Array): void {
    const scan = this.scanner === undefined ? this.makeScanner() : this.scanner;
    if (scan === null || this.envelope.isHtml) pushLines(this.splitter, this.b, chunk);
    else this.pushScanned(scan, chunk);
  }

  /** The scanner, its memory counted in the read's budget (and its growth, after each load). */
  private makeScanner(): LineScan | null {
    this.scanner = LineScan.create();
    this.scannerBytes = this.scanner?.memoryBytes ?? 0;
    this.b.countReaderBytes(this.scannerBytes);
    return this.scanner;
  }

  /**
   * The chunk through the scanner: runs of common lines are staged there and appended in bulk;
   * each line it leaves (another shape, a name without an id yet, the lines before the first
   * event sets the origin) is pushed to the splitter here, so every line is read in order, by one
   * or the other, exactly once. A file of mostly other lines (function_graph) stops using it.
   */
  private pushScanned(scan: LineScan, chunk: Uint8Array): void {
    const sp = this.splitter;
    const b = this.b;
    /** File offset of chunk[0]. */
    const base = sp.bytesConsumed;
    // The end of a line the last chunk left unfinished.
    let pos = sp.atLineStart ? 0 : this.pushOneLine(chunk, 0);
    if (pos < chunk.length && !scan.load(chunk)) this.scanner = null;
    if (scan.memoryBytes !== this.scannerBytes) {
      this.b.countReaderBytes(scan.memoryBytes - this.scannerBytes);
      this.scannerBytes = scan.memoryBytes;
    }
    while (pos < chunk.length) {
      if (this.envelope.isHtml || this.scanner === null) break;
      const lineBase = b.lineBase(sp.linesSeen + 1, scan.capacity);
      const origin = b.originSplit;
      if (!this.envelope.plain || lineBase === null || origin === null) {
        pos = this.pushOneLine(chunk, pos);
        continue;
      }
      const n = scan.scan(pos, sp.lineLimit, this.emptyId, origin[0], origin[1], base, lineBase);
      const stop = scan.stopPos;
      if (n > 0) {
        b.appendColumns(scan.staged(), n);
        sp.skipLines(stop - pos, n);
        b.bytesRead = sp.bytesConsumed;
        this.timestampedEvents += n;
        this.scannedEvents += n;
        this.lastWasEvent = true;
        if (scan.sawTgid) b.meta.hasTgid = true;
      }
      pos = stop;
      const why = scan.stopReason;
      if (why === Stop.End) break;
      if (why === Stop.Slow) {
        pos = this.pushOneLine(chunk, pos);
        if (++this.slowLines > SCAN_TRIAL_LINES && this.slowLines > this.scannedEvents) this.scanner = null;
      } else if (why === Stop.Miss) {
        const s = scan.missStart;
        const e = scan.missEnd;
        // The line is scanned again with the name known; one the table has no room for is read here.
        if (!scan.register(s, e, b.strings.internBytes(chunk, s, e))) pos = this.pushOneLine(chunk, pos);
      }
    }
    if (pos < chunk.length) pushLines(sp, b, chunk.subarray(pos));
  }

  /** The line starting at `pos` (it ends in the chunk), through the splitter; where the next starts. */
  private pushOneLine(chunk: Uint8Array, pos: number): number {
    const nl = indexOfByte(chunk, 0x0a, pos);
    const end = nl < 0 ? chunk.length : nl + 1;
    pushLines(this.splitter, this.b, chunk.subarray(pos, end));
    return end;
  }

  stop(message: string): void {
    stopLines(this.splitter, this.b, message);
  }

  finish(source: ByteSource | null): Trace {
    finishLines(this.splitter, this.b);
    const page = this.envelope.problem();
    if (page !== null) this.b.issue(1, 0, page);
    this.b.meta.timeSource = this.timeSource();
    return this.b.finish(source);
  }

  /** What is read so far; the last event may still get continuation lines (` => ` frames). */
  snapshot(source: ByteSource | null): Trace {
    return this.b.snapshot(source, { ...this.b.meta, timeSource: this.timeSource() }, this.b.length - 1);
  }

  /** function_graph without funcgraph-abstime has only estimated times: said once events are read. */
  private timeSource(): TimeSource {
    return this.timestampedEvents === 0 && this.b.length > 0 && this.graph.size > 0 ? 'funcgraph-durations' : this.b.meta.timeSource;
  }

  /** Whether the file is an HTML page that announces systrace trace data (for the sniffer). */
  get systracePage(): boolean {
    return this.envelope.isHtml && this.envelope.sawTraceMarker;
  }

  overlong(lineNo: number, offset: number, maxLineBytes: number): void {
    if (this.envelope.skipsOverlong()) return;
    this.b.issue(lineNo, offset, `line is longer than ${maxLineBytes} bytes; skipped`);
    this.lastWasEvent = false;
  }

  line(buf: Uint8Array, s: number, end: number, offset: number, lineNo: number): void {
    let i = s;
    while (i < end && isSpace(buf[i])) i++;
    const e = this.envelope.line(buf, s, i, end);
    if (e < 0) return;
    if (i >= e) {
      this.lastWasEvent = false;
      return;
    }
    const c0 = buf[i];
    if (c0 === HASH) {
      this.header(buf, s, e, lineNo);
      this.lastWasEvent = false;
      return;
    }
    // ` => symbol`: a frame of the stack trace printed right after the previous event.
    if (c0 === EQUALS && buf[i + 1] === GT && this.lastWasEvent) {
      this.b.extendLast(offset + (e - s));
      return;
    }
    this.lastWasEvent =
      this.defaultLine(buf, s, i, e, offset, lineNo) || this.withoutNbsp(buf, s, e, offset, lineNo) || this.otherLine(buf, s, e, offset, lineNo);
  }

  /**
   * Traces pasted from web pages and mail archives (seed 004's excerpts among them) carry
   * U+00A0 no-break spaces where ftrace wrote spaces. Off the hot path: only a line that
   * failed to parse is retried with each C2 A0 pair turned into two spaces (same byte length,
   * so offsets stay true to the file).
   */
  private withoutNbsp(buf: Uint8Array, s: number, e: number, offset: number, lineNo: number): boolean {
    if (buf.subarray(s, e).indexOf(0xc2) < 0) return false;
    const copy = buf.slice(s, e);
    let changed = false;
    for (let k = 0; k + 1 < copy.length; k++) {
      if (copy[k] === 0xc2 && copy[k + 1] === 0xa0) {
        copy[k] = 0x20;
        copy[k + 1] = 0x20;
        changed = true;
      }
    }
    if (!changed) return false;
    let i = 0;
    while (i < copy.length && isSpace(copy[i])) i++;
    return this.defaultLine(copy, 0, i, copy.length, offset, lineNo);
  }

  /** `comm-pid [(tgid)] [cpu] [flags] ts: payload` on bytes. Returns false when the line is not of that shape. */
  private defaultLine(buf: Uint8Array, s: number, i: number, e: number, offset: number, lineNo: number): boolean {
    const p = this.prefix;
    if (!this.scanPrefix(buf, i, e, p)) return false;
    let j = p.after;
    while (j < e && isSpace(buf[j])) j++;
    let tokEnd = j;
    while (tokEnd < e && !isSpace(buf[tokEnd])) tokEnd++;
    let flagsId = this.emptyId;
    let tsEnd = tokEnd;
    let tsNs = this.timestampToken(buf, j, tsEnd);
    if (!this.tokenWasTimestamp) {
      // irq-info on: a flags column of any width precedes the timestamp.
      flagsId = this.b.strings.internBytes(buf, j, tokEnd);
      let tsStart = tokEnd;
      while (tsStart < e && isSpace(buf[tsStart])) tsStart++;
      tsEnd = tsStart;
      while (tsEnd < e && !isSpace(buf[tsEnd])) tsEnd++;
      tsNs = this.timestampToken(buf, tsStart, tsEnd);
      if (!this.tokenWasTimestamp) return false;
    }
    let ps = tsEnd;
    while (ps < e && isSpace(buf[ps])) ps++;
    const commId = this.b.strings.internBytes(buf, p.commStart, p.commEnd);
    this.event(buf, s, ps, e, offset, lineNo, tsNs, p.cpu, p.pid, p.tgid, commId, flagsId);
    this.timestampedEvents++;
    return true;
  }

  /**
   * Finds `-<pid> [(<tgid>)] [<cpu>]` scanning forward for the CPU bracket and checking the
   * pieces before it backwards, so comms with spaces, dashes or digits (`Web Content-2711`,
   * `kworker/u8:2-123`) split at the right dash.
   */
  private scanPrefix(buf: Uint8Array, i: number, e: number, p: Prefix): boolean {
    for (let j = i + 1; j < e; j++) {
      if (buf[j] !== LBRACK || !isSpace(buf[j - 1])) continue;
      let k = j + 1;
      let cpu = 0;
      while (k < e && isDigit(buf[k])) cpu = cpu * 10 + ((buf[k++] as number) - 0x30);
      if (k === j + 1 || buf[k] !== RBRACK) continue;
      // Backwards: spaces, optional (tgid), spaces, pid digits, '-'.
      let q = j - 1;
      while (q > i && isSpace(buf[q])) q--;
      let tgid = -1;
      if (buf[q] === RPAREN) {
        let open = q - 1;
        while (open > i && buf[open] !== LPAREN && q - open < 16) open--;
        if (buf[open] !== LPAREN) continue;
        tgid = parseTgid(buf, open + 1, q);
        if (tgid === -2) continue;
        q = open - 1;
        while (q > i && isSpace(buf[q])) q--;
      }
      const pidEnd = q + 1;
      while (q >= i && isDigit(buf[q])) q--;
      if (q + 1 === pidEnd || q < i || buf[q] !== DASH) continue;
      let pid = 0;
      for (let d = q + 1; d < pidEnd; d++) pid = pid * 10 + ((buf[d] as number) - 0x30);
      p.commStart = i;
      p.commEnd = q;
      p.pid = pid;
      p.tgid = tgid;
      p.cpu = cpu;
      p.after = k + 1;
      if (tgid !== -1 || buf[j - 2] === RPAREN) this.b.meta.hasTgid = true;
      return true;
    }
    return false;
  }

  /**
   * A timestamp token `<sec>.<frac>:` (or a counter clock's `<count>:`) in [s, e), to ns relative
   * to the origin; when the token is not one (`d..2.`, the flags column) tokenWasTimestamp is
   * false and the value means nothing. One pass checks and converts: it is on every line.
   */
  private timestampToken(buf: Uint8Array, s: number, e: number): RelNs {
    this.tokenWasTimestamp = false;
    if (e - s < 2 || buf[e - 1] !== COLON || !isDigit(buf[s])) return NOT_A_TIMESTAMP;
    const last = e - 1;
    let sec = 0;
    let k = s;
    for (; k < last; k++) {
      const c = buf[k] as number;
      if (c === DOT) break;
      if (c < 0x30 || c > 0x39) return NOT_A_TIMESTAMP;
      sec = sec * 10 + (c - 0x30);
    }
    if (k === last) return this.counterTimestamp(buf, s, last);
    if (k === last - 1) return NOT_A_TIMESTAMP; // `123.:`
    let frac = 0;
    let digits = 0;
    for (let d = k + 1; d < last; d++) {
      const c = buf[d] as number;
      if (c < 0x30 || c > 0x39) return NOT_A_TIMESTAMP;
      if (digits < 9) {
        frac = frac * 10 + (c - 0x30);
        digits++;
      }
    }
    for (; digits < 9; digits++) frac *= 10;
    this.tokenWasTimestamp = true;
    return this.b.relativeNs(sec, frac);
  }

  /** Counter clocks print an integer count (digits in [s, e)). Split off the last 9 digits so the value stays exact. */
  private counterTimestamp(buf: Uint8Array, s: number, e: number): RelNs {
    this.tokenWasTimestamp = true;
    this.b.meta.timeSource = 'counter';
    const split = Math.max(s, e - 9);
    let sec = 0;
    for (let d = s; d < split; d++) sec = sec * 10 + ((buf[d] as number) - 0x30);
    let low = 0;
    for (let d = split; d < e; d++) low = low * 10 + ((buf[d] as number) - 0x30);
    // The count since the first event (high digits as "seconds"), on the axis one tick per ns.
    return ticksOnNsAxis(ticks(this.b.relativeNs(sec, low)));
  }

  /**
   * Records one event whose payload starts at `ps`: `name: rest` when the payload opens with an
   * event name and a colon (tracepoints, kprobes, markers, trace_printk), otherwise classified
   * from its text (function tracer, stack traces, context switches, tracer-specific lines).
   */
  private event(
    buf: Uint8Array,
    s: number,
    ps: number,
    e: number,
    offset: number,
    lineNo: number,
    tsNs: RelNs,
    cpu: number,
    pid: number,
    tgid: number,
    commId: number,
    flagsId: number,
  ): void {
    let n = ps;
    if (isIdentStart(buf[n])) {
      n++;
      while (n < e && NAME_BYTES[buf[n] as number] === 1) n++;
    }
    let eventId: number;
    let payloadStart: number;
    if (n > ps && buf[n] === COLON && (n + 1 === e || isSpace(buf[n + 1]))) {
      eventId = this.b.strings.internBytes(buf, ps, n);
      payloadStart = n + 1;
      while (payloadStart < e && isSpace(buf[payloadStart])) payloadStart++;
    } else {
      const text = utf8.decode(buf.subarray(ps, e));
      const c = classifyPayload(text, this.b.meta.tracer);
      eventId = this.b.strings.intern(c.event);
      payloadStart = ps + utf8Length(text.slice(0, c.payloadStart));
    }
    const r = this.rec;
    r.tsNs = tsNs;
    r.cpu = cpu;
    r.pid = pid;
    r.tgid = tgid;
    r.commId = commId;
    r.eventId = eventId;
    r.flagsId = flagsId;
    r.line = lineNo;
    r.recOffset = offset;
    r.recLength = e - s;
    r.payloadStart = payloadStart - s;
    this.b.push(r);
  }

  /** Lines that are not in the default shape: annotations, latency format, function_graph. */
  private otherLine(buf: Uint8Array, s: number, e: number, offset: number, lineNo: number): boolean {
    // Search within the line only: `buf` may be a whole 1 MiB chunk.
    const nul = buf.subarray(s, e).indexOf(NUL);
    if (nul >= 0) {
      this.b.issue(lineNo, offset, `binary data (NUL byte at offset ${offset + nul}) in a text trace line; line skipped`);
      return false;
    }
    const text = utf8.decode(buf.subarray(s, e));
    const trimmed = text.trim();
    const lost = /^CPU:(\d+) \[LOST (?:(\d+) )?EVENTS\]$/.exec(trimmed);
    if (lost) {
      this.b.lost.push({ cpu: Number(lost[1]), count: lost[2] === undefined ? null : Number(lost[2]), line: lineNo, beforeEvent: this.b.length });
      return false;
    }
    if (/^-+$/.test(trimmed)) return false; // function_graph separator around `=>` lines
    const graph = parseFuncGraphLine(text);
    if (graph) {
      if (this.afterEvents) this.inOrderOnly ??= `function_graph line at byte offset ${offset}: calls nest per CPU in file order`;
      this.graphLine(graph, text, offset, lineNo, e - s);
      return true;
    }
    const lat = parseLatencyLine(text);
    if (lat) {
      if (this.b.meta.timeSource === 'timestamps') this.b.meta.timeSource = 'latency-us';
      const tsNs = this.b.relativeNs(Math.floor(lat.usecs / 1e6), (lat.usecs % 1e6) * 1000);
      const commId = this.b.strings.intern(lat.comm);
      const flagsId = this.b.strings.intern(lat.flags);
      const c = classifyOrName(lat.payload, this.b.meta.tracer);
      const payloadStart = utf8Length(text.slice(0, lat.payloadStart + c.payloadStart));
      const r = this.rec;
      r.tsNs = tsNs;
      r.cpu = lat.cpu;
      r.pid = lat.pid;
      r.tgid = -1;
      r.commId = commId;
      r.eventId = this.b.strings.intern(c.event);
      r.flagsId = flagsId;
      r.line = lineNo;
      r.recOffset = offset;
      r.recLength = e - s;
      r.payloadStart = payloadStart;
      this.b.push(r);
      return true;
    }
    this.b.issue(lineNo, offset, `not an ftrace event line (expected "TASK-PID [CPU] TIMESTAMP: EVENT: ..."): ${preview(trimmed)}`);
    return false;
  }

  private graphLine(g: FuncGraphLine, text: string, offset: number, lineNo: number, length: number): void {
    let st = this.graph.get(g.cpu);
    if (!st) {
      st = { cursorNs: 0, stack: [], commId: this.b.strings.intern(''), pid: -1 };
      this.graph.set(g.cpu, st);
    }
    if (g.kind === 'switch') {
      st.commId = this.b.strings.intern(g.nextComm);
      st.pid = g.nextPid;
    }
    let commId = st.commId;
    let pid = st.pid;
    if (g.comm !== null && g.pid !== null) {
      commId = this.b.strings.intern(g.comm);
      pid = g.pid;
    }
    let tsNs: number;
    if (g.absSec !== null) {
      tsNs = this.b.relativeNs(g.absSec, g.absFracNs);
      this.timestampedEvents++;
    } else {
      // No funcgraph-abstime: place calls on a per-CPU clock advanced by the durations shown.
      this.b.relativeNs(0, 0);
      tsNs = st.cursorNs;
      if (g.kind === 'exit') {
        const entry = st.stack.pop();
        if (entry !== undefined && g.durationNs !== null) tsNs = Math.max(st.cursorNs, entry + g.durationNs);
        st.cursorNs = tsNs;
      } else if (g.kind === 'entry') {
        st.stack.push(tsNs);
        if (st.stack.length > 1024) st.stack.shift();
      } else if (g.kind === 'leaf' && g.durationNs !== null) {
        st.cursorNs += g.durationNs;
      }
    }
    const payloadStart = utf8Length(text.slice(0, g.payloadStart));
    const eventId = this.b.strings.intern(g.event);
    const r = this.rec;
    r.tsNs = relNs(tsNs);
    r.cpu = g.cpu;
    r.pid = pid;
    r.tgid = -1;
    r.commId = commId;
    r.eventId = eventId;
    r.flagsId = this.b.strings.intern(g.flags);
    r.line = lineNo;
    r.recOffset = offset;
    r.recLength = length;
    r.payloadStart = payloadStart;
    this.b.push(r);
  }

  /** `#` lines: tracer name, buffer statistics, CPU count, the old `buffer started` annotation, and what stopped a ktl recording. */
  private header(buf: Uint8Array, s: number, e: number, lineNo: number): void {
    if (e - s > 4096) return;
    const text = utf8.decode(buf.subarray(s, e)).trim();
    const m = this.b.meta;
    let r: RegExpExecArray | null;
    if ((r = /^##### CPU (\d+) buffer started ####$/.exec(text))) {
      this.b.bufferStarts.push({ cpu: Number(r[1]), line: lineNo, beforeEvent: this.b.length });
    } else if (this.b.length > 0 || this.afterEvents) {
      // The header precedes the events; a `# tracer:` line later on is text a trace_marker
      // writer put there (markers may contain newlines), not the kernel's header.
      return;
    } else if (text.startsWith(STOPPED_BY_PREFIX)) {
      m.stoppedBy = text.slice(STOPPED_BY_PREFIX.length);
    } else if ((r = /^#\s*tracer:\s*(\S+)/.exec(text))) {
      m.tracer = r[1] as string;
    } else if ((r = /^#\s*entries-in-buffer\/entries-written:\s*(\d+)\/(\d+)\s+#P:(\d+)/.exec(text))) {
      m.entriesInBuffer = Number(r[1]);
      m.entriesWritten = Number(r[2]);
      m.onlineCpus = Number(r[3]);
    } else if ((r = /#P:(\d+)/.exec(text))) {
      m.onlineCpus = Number(r[1]);
    }
  }
}

interface GraphCpuState {
  /** Estimated time of the next call on this CPU (ns), when the trace has no timestamps. */
  cursorNs: number;
  /** Entry times of the calls still open on this CPU. */
  stack: number[];
  commId: number;
  pid: number;
}

/** Contents of `(  1234)` → 1234, `(-------)` → -1, anything else → -2 (not a tgid column). */
function parseTgid(buf: Uint8Array, s: number, e: number): number {
  let v = 0;
  let digits = 0;
  let dashes = 0;
  for (let k = s; k < e; k++) {
    const c = buf[k];
    if (isSpace(c)) continue;
    if (isDigit(c)) {
      v = v * 10 + ((c as number) - 0x30);
      digits++;
    } else if (c === DASH) dashes++;
    else return -2;
  }
  if (digits > 0 && dashes === 0) return v;
  if (digits === 0 && dashes > 0) return -1;
  return -2;
}

function classifyOrName(payload: string, tracer: string | null): { event: string; payloadStart: number } {
  const m = /^([A-Za-z_][\w.]*):(?:\s+|$)/.exec(payload);
  if (m) return { event: m[1] as string, payloadStart: m[0].length };
  return classifyPayload(payload, tracer);
}

