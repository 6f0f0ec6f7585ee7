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
 *
 * Lines stand on their own but for times: a line without one takes the previous line's, and a
 * time of day jumping back passes midnight. A byte range after the file's head may be read
 * apart (`range`, ranges.ts): its events before its first time, and the midnights passed
 * before it, are completed by the join.
 */
import { LineSplitter, type LineSink } from '../line-splitter';
import type { RangeBoundary, RangeReader, RangeStart } from '../range';
import { NUL } from '../ascii';
import type { ByteSource } from '../../trace/byte-source';
import { TraceBuilder, newEventRecord, type TimeSource, type Trace } from '../../trace/trace';
import { relNs } from '../../trace/time';
import { compilePattern, type PrintfOptions } from './options';
import { parseKeyValueLine, parsePatternLine, type TsUnit } from './lines';
import { rememberPattern } from './payload';
import { finishLines, midnightSec, preview, pushLines, stopLines, utf8Length } from '../text-util';
import type { UserRegex } from '../../config/user-regex';

const utf8 = new TextDecoder('utf-8');
const MAX_PARSED_LINE = 64 * 1024;

/** A range's times, for the join (ranges.ts). */
export interface PrintfBoundary {
  readonly apart: boolean;
  readonly timed: boolean;
  /** Events before the range's first time (they take the time before the range). */
  readonly leading: number;
  readonly anchored: boolean;
  /** Times of day (< 1 day) met, and other times. */
  readonly timeOfDay: boolean;
  readonly otherTimes: boolean;
  /** First and last time of day (seconds), -1 when none; midnights passed within the range (seconds). */
  readonly firstDaySec: number;
  readonly lastDaySec: number;
  readonly dayOffset: number;
  readonly lastSec: number;
  readonly lastFracNs: number;
  /** Largest |tsNs| of the events after `leading`. */
  readonly maxAbsNs: number;
}

export interface PrintfReaderOptions extends PrintfOptions {
  /** A byte range after the file's first event, read apart (ranges.ts). */
  range?: RangeStart;
}

export class PrintfReader implements RangeReader, LineSink {
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
  /** A range read apart: whether a time was met yet (the events before it are `leading`). */
  private readonly apart: boolean;
  private anchored = true;
  private leading = 0;
  private timeOfDay = false;
  private otherTimes = false;
  private firstDaySec = -1;
  private maxAbsNs = 0;
  /** A range read apart with times of day and other times: which of its events pass midnight is not one rule. */
  inOrderOnly: string | null = null;
  /** Non-blank lines that were not events (for the sniffer). */
  skipped = 0;

  constructor(opts: PrintfReaderOptions = {}) {
    this.splitter = new LineSplitter(this, opts.maxLineBytes, opts.range?.offset);
    this.unit = opts.tsUnit ?? 'ns';
    this.emptyId = this.b.strings.intern('');
    this.defaultEventId = this.b.strings.intern('printf');
    this.apart = opts.range !== undefined;
    if (opts.range) {
      this.b.seedOrigin(opts.range.seed.originNs);
      this.anchored = false;
    }
    const re = compilePattern(opts);
    if (typeof re === 'string') {
      // Said once, on the file's first line (not by a range read apart).
      if (!this.apart) this.b.issue(1, 0, `${re}; reading key=value lines instead`);
      this.pattern = null;
    } else {
      this.pattern = re;
    }
  }

  get linesSeen(): number {
    return this.splitter.linesSeen;
  }

  boundary(): RangeBoundary {
    const state: PrintfBoundary = {
      apart: this.apart,
      timed: this.timed,
      leading: this.anchored ? this.leading : this.b.length,
      anchored: this.anchored,
      timeOfDay: this.timeOfDay,
      otherTimes: this.otherTimes,
      firstDaySec: this.firstDaySec,
      lastDaySec: this.lastDaySec,
      dayOffset: this.dayOffset,
      lastSec: this.lastSec,
      lastFracNs: this.lastFracNs,
      maxAbsNs: this.maxAbsNs,
    };
    return { state, transfer: [] };
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
    return printfTimeSource(this.timed, this.b.length, this.b.meta.timeSource);
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
      if (!this.anchored) {
        this.anchored = true;
        this.leading = this.b.length;
      }
      let sec = p.sec;
      // A time of day (< 1 day) jumping back by more than 12 h is midnight passing.
      if (sec < 86400) {
        this.timeOfDay = true;
        if (this.firstDaySec < 0) this.firstDaySec = sec;
        this.dayOffset += midnightSec(this.lastDaySec, sec);
        this.lastDaySec = sec;
        sec += this.dayOffset;
      } else {
        this.otherTimes = true;
      }
      if (this.apart && this.timeOfDay && this.otherTimes) this.inOrderOnly ??= `times of day and other times in one range (line ${lineNo} of the range): which pass midnight is read in order`;
      this.lastSec = sec;
      this.lastFracNs = p.fracNs;
    }
    const b = this.b;
    // A range read apart, before its first time: the join gives these events the time before the range.
    let tsNs = relNs(0);
    if (this.anchored) {
      tsNs = b.relativeNs(this.lastSec, this.lastFracNs);
      if (this.apart && Math.abs(tsNs) > this.maxAbsNs) this.maxAbsNs = Math.abs(tsNs);
    }
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

/** timeSource of printf output: 'none' when no line had a time. */
export function printfTimeSource(timed: boolean, length: number, otherwise: TimeSource): TimeSource {
  return !timed && length > 0 ? 'none' : otherwise;
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
