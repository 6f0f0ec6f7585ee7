/**
 * Reader for printf-style probe output: what bpftrace's `printf()`, SystemTap's `printf()`
 * and `bpf_printk()` (read from trace_pipe) print, one line per probe hit.
 *
 * Spec: there is no format, only conventions. bpftrace(8) "printf()" and the tools' output
 * (`Attaching N probes...` first, map dumps `@name[...]: value` at exit); SystemTap's
 * stap(1) `printf`; bpf_trace_printk() in include/uapi/linux/bpf.h, whose lines in
 * trace_pipe are ftrace lines (`comm-pid [cpu] flags sec.usec: bpf_trace_printk: text`).
 * Default shape read here:
 *   `[TIME] [EVENT[:]] key=value key=value ...`
 * TIME is `HH:MM:SS[.frac]` or `sec.frac`; EVENT is the first word before the first
 * key=value (`tracepoint:net:net_dev_xmit`, `probe:`); the keys `ts`/`time`/`timestamp`/
 * `nsecs`, `cpu`, `pid`/`tid`, `comm`/`task` and `event`/`probe`/`name` also fill the
 * columns. Values may contain spaces (a value runs to the next ` key=`). Lines without any
 * key=value pair are reported as issues and skipped (banners, histograms, map dumps).
 * A user pattern (options.ts, from `.vscode/kernel-trace.json`) is tried first on each
 * line; lines it does not match are read in the default shape.
 */
import { LineSplitter, type LineSink } from '../line-splitter';
import type { TraceReader } from '../reader';
import { NUL } from '../ascii';
import type { ByteSource } from '../../trace/byte-source';
import { TraceBuilder, newEventRecord, type TimeSource, type Trace } from '../../trace/trace';
import { compilePattern, type PrintfOptions } from './options';
import { parseKeyValueLine, parsePatternLine, type TsUnit } from './lines';
import { rememberPattern } from './payload';
import { finishLines, preview, pushLines, stopLines, utf8Length } from '../text-util';
import type { UserRegex } from '../../config/user-regex';

const utf8 = new TextDecoder('utf-8');
const MAX_PARSED_LINE = 64 * 1024;

export class PrintfReader implements TraceReader, LineSink {
  private readonly b = new TraceBuilder('printf');
  /** The one record refilled for every event (TraceBuilder.push copies it). */
  private readonly rec = newEventRecord();
  private readonly splitter: LineSplitter;
  private readonly pattern: UserRegex | null;
  /** Whether a user pattern is in use (given and runnable). */
  get hasPattern(): boolean {
    return this.pattern !== null;
  }
  private readonly unit: TsUnit;
  private readonly emptyId: number;
  private readonly defaultEventId: number;
  private lastSec = 0;
  private lastFracNs = 0;
  private dayOffset = 0;
  private lastDaySec = -1;
  /** Whether any line had a time; without, timeSource is 'none'. */
  private timed = false;
  /** Non-blank lines that were not events (for the sniffer). */
  skipped = 0;

  constructor(opts: PrintfOptions = {}) {
    this.splitter = new LineSplitter(this, opts.maxLineBytes);
    this.unit = opts.tsUnit ?? 'ns';
    this.emptyId = this.b.strings.intern('');
    this.defaultEventId = this.b.strings.intern('printf');
    const re = compilePattern(opts);
    if (typeof re === 'string') {
      this.b.issue(1, 0, `${re}; reading key=value lines instead`);
      this.pattern = null;
    } else {
      this.pattern = re;
    }
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
    return this.remember(this.b.finish(source));
  }

  /** What is read so far: a printf line is one whole event, so every event is settled. */
  snapshot(source: ByteSource | null): Trace {
    return this.remember(this.b.snapshot(source, { ...this.b.meta, timeSource: this.timeSource() }));
  }

  private timeSource(): TimeSource {
    return !this.timed && this.b.length > 0 ? 'none' : this.b.meta.timeSource;
  }

  private remember(t: Trace): Trace {
    if (this.pattern) rememberPattern(t, this.pattern);
    return t;
  }

  overlong(lineNo: number, offset: number, maxLineBytes: number): void {
    this.b.issue(lineNo, offset, `line is longer than ${maxLineBytes} bytes; skipped`);
    this.skipped++;
  }

  line(buf: Uint8Array, s: number, e: number, offset: number, lineNo: number): void {
    const text = utf8.decode(buf.subarray(s, Math.min(e, s + MAX_PARSED_LINE)));
    if (text.trim() === '') return;
    if (buf.subarray(s, e).indexOf(NUL) >= 0) {
      this.b.issue(lineNo, offset, 'binary data (NUL byte) in a text line; line skipped');
      this.skipped++;
      return;
    }
    // A user pattern first; a line it does not match may still be a key=value line (bpftrace
    // scripts mix printf() columns with key=value prints), as decodePrintfEvent re-derives.
    const p = (this.pattern ? parsePatternLine(text, this.pattern, this.unit) : null) ?? parseKeyValueLine(text, this.unit);
    if (!p) {
      const what = this.pattern ? 'neither matches the printf pattern nor has key=value pairs' : 'no key=value pairs';
      this.b.issue(lineNo, offset, `${what}; line skipped: ${preview(text.trim())}`);
      this.skipped++;
      return;
    }
    if (p.sec !== null) {
      this.timed = true;
      let sec = p.sec;
      // A time of day (< 1 day) jumping back by more than 12 h is midnight passing.
      if (sec < 86400) {
        if (this.lastDaySec >= 0 && sec + 43200 < this.lastDaySec) this.dayOffset += 86400;
        this.lastDaySec = sec;
        sec += this.dayOffset;
      }
      this.lastSec = sec;
      this.lastFracNs = p.fracNs;
    }
    const b = this.b;
    const tsNs = b.relativeNs(this.lastSec, this.lastFracNs);
    const commId = p.comm === null ? this.emptyId : b.strings.intern(p.comm);
    const eventId = p.event === null ? this.defaultEventId : b.strings.intern(p.event);
    const r = this.rec;
    r.tsNs = tsNs;
    r.cpu = p.cpu ?? 0;
    r.pid = p.pid ?? -1;
    r.tgid = -1;
    r.commId = commId;
    r.eventId = eventId;
    r.flagsId = this.emptyId;
    r.line = lineNo;
    r.recOffset = offset;
    r.recLength = e - s;
    r.payloadStart = utf8Length(text, p.payloadStart);
    b.push(r);
  }
}

/**
 * Whether `head` is printf-style probe output: at least as many lines read as events (key=value,
 * or matching the user's pattern when `opts` has one) as other lines.
 */
export function sniffPrintf(head: Uint8Array, opts: PrintfOptions = {}): string | null {
  if (head.indexOf(0) >= 0) return 'binary data';
  const r = new PrintfReader(opts);
  r.push(head);
  const t = r.finish(null);
  if (t.length > 0 && r.skipped <= t.length) return null;
  const what = r.hasPattern ? 'lines matching the printf pattern or with key=value pairs' : 'key=value lines';
  return t.length === 0 ? `no ${what}` : `fewer ${what} (${t.length}) than other lines (${r.skipped})`;
}
