/**
 * Reader for `perf script` text output.
 *
 * Spec: perf-script(1) (tools/perf/Documentation/perf-script.txt, the -F/--fields list)
 * and its printer, tools/perf/builtin-script.c (perf_sample__fprintf_start: comm `%16s`,
 * `%5d/%-5d` pid/tid or `%7d` tid, `[%03d]` CPU, `%5lu.%06lu:` time; then the period,
 * `%*s:` the event name, and the tracepoint's print fmt or the sample's ip/sym/dso;
 * callchains (`-g`) as one frame per line, `\t%16llx sym+off (dso)`, ended by a blank line).
 *
 * Line shapes:
 *   header     `# ========`, `# captured on : ...`, `# nrcpus online : 2` (perf script --header)
 *   event      `ping 31568 [000]  2571.472596:   net:net_dev_queue: dev=lo skbaddr=... len=98`
 *              `simple-terminat     9/9     198791.127353: cpu-clock: `
 *              `python3 31595  2573.469060:    1001001 cpu-clock:pppH: ` (period before the name)
 *              `probe:func_L7: (ffffffff81234567) addr=...` payloads of perf probe events
 *   frames     `\tffffffff81e63976 __dev_queue_xmit+0x486 ([kernel.kallsyms])` under an event:
 *              kept in the event's record (its stack)
 *   blank      ends a callchain
 *   untimed    `java 19983 cycles:` / `dd 18688 cpu-clock:  ffffffff816e5b6c vfs_getattr_nosec`
 *              (`-F comm,pid,event,ip,sym`, the input of flame-graph tools): no time column in
 *              the whole file; time source `none`, callchains kept, frames indented or not
 * The comm may contain spaces and digits; the pid, CPU and time columns are found after it.
 */
import { LineSplitter, type LineSink } from '../line-splitter';
import type { TraceReader } from '../reader';
import { HASH, NUL, isSpace } from '../ascii';
import type { ByteSource } from '../../trace/byte-source';
import { TraceBuilder, newEventRecord, type ExtraColumn, type TimeSource, type Trace } from '../../trace/trace';
import { relNs } from '../../trace/time';
import { finishLines, preview, pushLines, stopLines, utf8Length } from '../text-util';
import type { RangeReader, RangeStart, RangeSupport } from '../range';

const utf8 = new TextDecoder('utf-8');

/** comm, tid or pid/tid, optional [cpu], sec.frac:, optional period, event name, payload. */
const SAMPLE = /^\s*(.*?)\s+(-?\d+)(?:\/(-?\d+))?\s+(?:\[(\d+)\]\s+)?(\d+)\.(\d+):\s+(?:(\d+)\s+)?(\S+?):(?:\s+|$)/;
/** The same without the time column (`perf script -F comm,pid,event,...`); the period needs a time before it. */
const UNTIMED_SAMPLE = /^\s*(.*?)\s+(-?\d+)(?:\/(-?\d+))?\s+(?:\[(\d+)\]\s+)?()()()(\S+?):(?:\s+|$)/;
/** Event names perf prints: `subsys:name` tracepoints and probes, and its hardware/software events. */
const PERF_EVENT = /^(?:[\w.-]+:[\w.-]+|(?:cpu-|task-)?clock|cycles|instructions|(?:cache|branch)-(?:misses|references|instructions)|(?:page-|major-|minor-)?faults|context-switches|cs|cpu-migrations|migrations|bus-cycles|ref-cycles|alignment-faults|emulation-faults|[\w-]*-(?:loads|stores|misses))$/;

export interface PerfScriptOptions {
  maxLineBytes?: number;
  /**
   * A byte range after the file's first sample, read apart (io/parallel-load.ts): offsets are the
   * file's, the origin and whether samples carry times are the head's, `#` lines are ignored.
   */
  range?: RangeStart;
}

export class PerfScriptReader implements TraceReader, RangeReader, LineSink {
  private readonly b = new TraceBuilder('perf-script');
  /** The one record refilled for every event (TraceBuilder.push copies it). */
  private readonly rec = newEventRecord();
  private readonly splitter: LineSplitter;
  /** Sample period (the number before the event name), NaN when perf did not print one. */
  private readonly period: ExtraColumn;
  /** Whether frame lines may extend the last event (no blank line since). */
  private inEvent = false;
  private framesSeen = 0;
  private readonly emptyId: number;
  /** Decided by the first sample line: whether samples carry the time column. */
  private timed: boolean | null = null;
  /** Untimed samples whose event is not named as perf names events (for the sniffer). */
  private unlikelyUntimed = 0;
  /** Reading a range after the file's first sample: the header is behind. */
  private readonly afterEvents: boolean;
  /** Nothing in perf script output depends on more than the sample before it and the head. */
  readonly inOrderOnly = null;

  constructor(opts: PerfScriptOptions = {}) {
    this.splitter = new LineSplitter(this, opts.maxLineBytes, opts.range?.offset);
    this.period = this.b.extraColumn('period', 'f64');
    this.emptyId = this.b.strings.intern('');
    this.afterEvents = opts.range !== undefined;
    if (opts.range) {
      this.b.seedOrigin(opts.range.seed.originNs);
      this.timed = opts.range.seed.timed ?? null;
    }
  }

  get linesSeen(): number {
    return this.splitter.linesSeen;
  }

  push(chunk: Uint8Array): void {
    pushLines(this.splitter, this.b, chunk);
  }

  stop(message: string): void {
    stopLines(this.splitter, this.b, message);
  }

  finish(source: ByteSource | null): Trace {
    finishLines(this.splitter, this.b);
    this.b.meta.timeSource = this.timeSource();
    return this.b.finish(source);
  }

  /** What is read so far; the last sample may still get frame lines. */
  snapshot(source: ByteSource | null): Trace {
    return this.b.snapshot(source, { ...this.b.meta, timeSource: this.timeSource() }, this.b.length - 1);
  }

  private timeSource(): TimeSource {
    return this.timed === false && this.b.length > 0 ? 'none' : this.b.meta.timeSource;
  }

  /** Frame lines seen under events (for the sniffer and tests). */
  get frames(): number {
    return this.framesSeen;
  }

  /** Whether samples carry times (null before the first sample). */
  get hasTimes(): boolean | null {
    return this.timed;
  }

  /** Untimed samples whose event is not named as perf names events. */
  get unlikelySamples(): number {
    return this.unlikelyUntimed;
  }

  overlong(lineNo: number, offset: number, maxLineBytes: number): void {
    this.b.issue(lineNo, offset, `line is longer than ${maxLineBytes} bytes; skipped`);
    this.inEvent = false;
  }

  line(buf: Uint8Array, s: number, e: number, offset: number, lineNo: number): void {
    let i = s;
    while (i < e && isSpace(buf[i])) i++;
    if (i === e) {
      this.inEvent = false;
      return;
    }
    if (buf[s] === HASH) {
      if (this.b.length === 0 && !this.afterEvents) this.header(buf, s, e);
      return;
    }
    if (buf.subarray(s, e).indexOf(NUL) >= 0) {
      this.b.issue(lineNo, offset, 'binary data (NUL byte) in a perf script line; line skipped');
      this.inEvent = false;
      return;
    }
    // Callchain frames are indented (a TAB, or spaces with -F +ip,+sym); events start with the comm.
    // Untimed output passed through flame-graph tools may have lost the indentation: there a
    // line that starts with a hex address and a symbol under an event is a frame too.
    if ((i > s || this.timed === false) && this.inEvent && isFrame(buf, i, e) && !hasTimeColumn(buf, i, e) && !(this.timed === false && isUntimedSample(buf, s, e))) {
      this.b.extendLast(offset + (e - s));
      this.framesSeen++;
      return;
    }
    const text = utf8.decode(buf.subarray(s, e));
    let m = this.timed === false ? null : SAMPLE.exec(text);
    if (!m && this.timed !== true) {
      m = UNTIMED_SAMPLE.exec(text);
      if (m) {
        this.timed = false;
        if (!PERF_EVENT.test(m[8] as string)) this.unlikelyUntimed++;
      }
    } else if (m) this.timed = true;
    if (!m) {
      const expected = this.timed === false ? 'COMM PID [CPU] EVENT: ...' : 'COMM PID [CPU] SEC.USEC: EVENT: ...';
      this.b.issue(lineNo, offset, `not a perf script sample line (expected "${expected}"): ${preview(text.trim())}`);
      this.inEvent = false;
      return;
    }
    const b = this.b;
    const tsNs = m[5] === '' ? relNs(0) : b.relativeNs(Number(m[5]), Number((m[6] as string).slice(0, 9).padEnd(9, '0')));
    const tid = m[3] !== undefined ? Number(m[3]) : Number(m[2]);
    const tgid = m[3] !== undefined ? Number(m[2]) : -1;
    if (tgid >= 0) b.meta.hasTgid = true;
    const cpu = m[4] !== undefined ? Number(m[4]) : 0;
    const payloadStart = utf8Length(text, m[0].length);
    const r = this.rec;
    r.tsNs = tsNs;
    r.cpu = cpu;
    r.pid = tid;
    r.tgid = tgid;
    r.commId = b.strings.intern(m[1] as string);
    r.eventId = b.strings.intern(m[8] as string);
    r.flagsId = this.emptyId;
    r.line = lineNo;
    r.recOffset = offset;
    r.recLength = e - s;
    r.payloadStart = payloadStart;
    b.push(r);
    this.period.push(m[7] !== undefined && m[7] !== '' ? Number(m[7]) : NaN);
    this.inEvent = true;
  }

  private header(buf: Uint8Array, s: number, e: number): void {
    if (e - s > 4096) return;
    const text = utf8.decode(buf.subarray(s, e));
    const cpus = /^#\s*nrcpus online\s*:\s*(\d+)/.exec(text);
    if (cpus) this.b.meta.onlineCpus = Number(cpus[1]);
  }
}

/** An untimed sample line (`              dd 27056 cpu-clock:  ffffffff81d74e97 read_zero`): a comm, a pid, a perf event. */
function isUntimedSample(buf: Uint8Array, s: number, e: number): boolean {
  const m = UNTIMED_SAMPLE.exec(utf8.decode(buf.subarray(s, e)));
  return m !== null && (m[1] as string) !== '' && PERF_EVENT.test(m[8] as string);
}

/** `ffffffff81e63976 sym+0x486 (dso)`: a hex address, then a symbol or `[unknown]`. */
function isFrame(buf: Uint8Array, i: number, e: number): boolean {
  let k = i;
  while (k < e && isHex(buf[k])) k++;
  return k > i && k < e && isSpace(buf[k]);
}

/**
 * Whether the line has a `SEC.FRAC: ` column: sample lines do, frames do not. Tells an
 * indented sample line whose comm is hex-like (`              dd  1234 [000] ...`) from a frame.
 */
function hasTimeColumn(buf: Uint8Array, i: number, e: number): boolean {
  for (let k = i + 1; k + 1 < e; k++) {
    if (buf[k] !== 0x3a || buf[k + 1] !== 0x20) continue;
    let d = k - 1;
    let dot = false;
    let digits = 0;
    while (d >= i && (isDigitByte(buf[d]) || (buf[d] === 0x2e && !dot))) {
      if (buf[d] === 0x2e) dot = true;
      else digits++;
      d--;
    }
    if (dot && digits >= 2 && d >= i && isSpace(buf[d])) return true;
  }
  return false;
}

function isDigitByte(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46));
}

/** Whether `head` is `perf script` output: mostly sample lines (and their callchains). */
export function sniffPerfScript(head: Uint8Array): string | null {
  const r = new PerfScriptReader();
  r.push(head);
  const t = r.finish(null);
  // Without times a line is only `COMM PID EVENT:`: ask that every event be named as perf
  // names events, so that other text of that shape is not taken for perf script.
  if (t.length > 0 && t.issueCount * 4 <= t.length && (r.hasTimes !== false || r.unlikelySamples === 0)) return null;
  const first = t.issues[0];
  return `no perf script sample lines${first ? ` (line ${first.line}: ${first.message})` : ''}`;
}

/**
 * perf script in byte ranges (range.ts): each sample line stands on its own once the head says
 * whether samples carry times. A callchain belongs to the sample above it: a range starts after
 * a blank line (which ends a callchain) or, when samples carry times (frames are indented
 * then), at any line that is not indented.
 */
export const perfScriptRanges: RangeSupport = {
  plan(head) {
    const reader = new PerfScriptReader();
    reader.push(head);
    const t = reader.finish(null);
    if (t.length === 0 || reader.hasTimes === null) return { ok: false, reason: `no sample line in the first ${head.length} bytes` };
    const first = t.record(0);
    return { ok: true, seed: { originNs: t.originNs, tracer: null, timed: reader.hasTimes }, minStart: first.offset + first.length };
  },
  canStartAt(line, previousBlank, seed) {
    return previousBlank || (seed.timed === true && line.length > 0 && !isSpace(line[0]));
  },
  createRangeReader: (_options, range) => new PerfScriptReader({ range }),
};
