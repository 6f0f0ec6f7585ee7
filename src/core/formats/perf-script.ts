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
 * The comm may contain spaces and digits; the pid, CPU and time columns are found after it.
 */
import { LineSplitter, type LineSink } from './line-splitter';
import type { TraceReader } from './reader';
import { HASH, NUL, isSpace } from './ascii';
import type { ByteSource } from '../trace/byte-source';
import { TraceBuilder, newEventRecord, type ExtraColumn, type Trace } from '../trace/trace';
import { finishLines, preview, pushLines, stopLines, utf8Length } from './text-util';

const utf8 = new TextDecoder('utf-8');

/** comm, tid or pid/tid, optional [cpu], sec.frac:, optional period, event name, payload. */
const SAMPLE = /^\s*(.*?)\s+(-?\d+)(?:\/(-?\d+))?\s+(?:\[(\d+)\]\s+)?(\d+)\.(\d+):\s+(?:(\d+)\s+)?(\S+?):(?:\s+|$)/;

export interface PerfScriptOptions {
  maxLineBytes?: number;
}

export class PerfScriptReader implements TraceReader, LineSink {
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

  constructor(opts: PerfScriptOptions = {}) {
    this.splitter = new LineSplitter(this, opts.maxLineBytes);
    this.period = this.b.extraColumn('period', 'f64');
    this.emptyId = this.b.strings.intern('');
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

  /** Frame lines seen under events (for the sniffer and tests). */
  get frames(): number {
    return this.framesSeen;
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
      if (this.b.length === 0) this.header(buf, s, e);
      return;
    }
    if (buf.subarray(s, e).indexOf(NUL) >= 0) {
      this.b.issue(lineNo, offset, 'binary data (NUL byte) in a perf script line; line skipped');
      this.inEvent = false;
      return;
    }
    // Callchain frames are indented (a TAB, or spaces with -F +ip,+sym); events start with the comm.
    if (i > s && this.inEvent && isFrame(buf, i, e) && !hasTimeColumn(buf, i, e)) {
      this.b.extendLast(offset + (e - s));
      this.framesSeen++;
      return;
    }
    const text = utf8.decode(buf.subarray(s, e));
    const m = SAMPLE.exec(text);
    if (!m) {
      this.b.issue(lineNo, offset, `not a perf script sample line (expected "COMM PID [CPU] SEC.USEC: EVENT: ..."): ${preview(text.trim())}`);
      this.inEvent = false;
      return;
    }
    const b = this.b;
    const frac = (m[6] as string).slice(0, 9).padEnd(9, '0');
    const tsNs = b.relativeNs(Number(m[5]), Number(frac));
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
    this.period.push(m[7] !== undefined ? Number(m[7]) : NaN);
    this.inEvent = true;
  }

  private header(buf: Uint8Array, s: number, e: number): void {
    if (e - s > 4096) return;
    const text = utf8.decode(buf.subarray(s, e));
    const cpus = /^#\s*nrcpus online\s*:\s*(\d+)/.exec(text);
    if (cpus) this.b.meta.onlineCpus = Number(cpus[1]);
  }
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
  if (t.length > 0 && t.issueCount * 4 <= t.length) return null;
  const first = t.issues[0];
  return `no perf script sample lines${first ? ` (line ${first.line}: ${first.message})` : ''}`;
}
