/**
 * Splits a byte stream fed in arbitrary chunks into lines without ever building one string
 * of the input. Complete lines inside a chunk are handed out as views of that chunk; only a
 * line that straddles chunks is copied (into a carry buffer).
 *
 * A line longer than `maxLineBytes` is not buffered: the splitter reports it once and skips
 * to the next newline, so a hostile 10 GB line costs no memory.
 */
import { indexOfByte } from './byte-search';

export interface LineSink {
  /**
   * One line, without its `\n` (and without a `\r` before it). `offset` is the byte offset of
   * the line's first byte in the stream, `lineNo` is 1-based. `buf` is only valid during the call.
   */
  line(buf: Uint8Array, start: number, end: number, offset: number, lineNo: number): void;
  /** A line exceeded the limit and was skipped. */
  overlong(lineNo: number, offset: number, maxLineBytes: number): void;
}

const NL = 0x0a;
const CR = 0x0d;

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

export class LineSplitter {
  private carry = new Uint8Array(256);
  private carryLen = 0;
  /** Stream offset of the first byte of the pending line. */
  private lineOffset = 0;
  private lineNo = 1;
  /** Bytes seen so far. */
  private consumed = 0;
  private skipping = false;
  /** True once the stream ended without a final newline (the last line may be cut short). */
  endedWithoutNewline = false;

  /** `startOffset`: where the stream starts in the file (a range read apart): offsets stay the file's; line numbers count from the range. */
  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
    startOffset = 0,
  ) {
    this.lineOffset = startOffset;
    this.consumed = startOffset;
  }

  get bytesConsumed(): number {
    return this.consumed;
  }

  get linesSeen(): number {
    return this.lineNo - 1;
  }

  /** Longest line handed to the sink, in bytes. */
  get lineLimit(): number {
    return this.maxLineBytes;
  }

  /** Whether the next byte pushed starts a line (no partial line held, none being skipped). */
  get atLineStart(): boolean {
    return this.carryLen === 0 && !this.skipping;
  }

  /**
   * A bulk reader took the next `lines` whole lines, `bytes` bytes with their newlines, from a
   * line start (atLineStart) instead of pushing them: counts them as push would have.
   */
  skipLines(bytes: number, lines: number): void {
    this.consumed += bytes;
    this.lineNo += lines;
    this.lineOffset = this.consumed;
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    const base = this.consumed;
    this.consumed += chunk.length;
    while (pos < chunk.length) {
      const nl = indexOfByte(chunk, NL, pos);
      if (nl < 0) {
        this.buffer(chunk, pos, chunk.length);
        return;
      }
      if (this.skipping) {
        this.skipping = false;
      } else if (this.carryLen > 0) {
        this.buffer(chunk, pos, nl);
        if (!this.skipping) this.emit(this.carry, 0, this.carryLen);
        this.skipping = false;
      } else if (nl - pos > this.maxLineBytes) {
        this.sink.overlong(this.lineNo, this.lineOffset, this.maxLineBytes);
      } else {
        this.emit(chunk, pos, nl);
      }
      this.carryLen = 0;
      this.lineNo++;
      pos = nl + 1;
      this.lineOffset = base + pos;
    }
  }

  /**
   * The read stopped inside the stream (cancelled, over its memory budget): the pending partial
   * line is a fragment of a line never read whole, not the file's last line. It is dropped, and
   * the bytes consumed end where that line starts (where the next read would begin).
   */
  abandonPartial(): void {
    if (this.carryLen > 0 || this.skipping) this.consumed = this.lineOffset;
    this.carryLen = 0;
    this.skipping = false;
  }

  /** Flushes the last line when the input does not end with a newline. */
  finish(): void {
    if (this.carryLen > 0 && !this.skipping) {
      this.endedWithoutNewline = true;
      this.emit(this.carry, 0, this.carryLen);
      this.lineNo++;
    }
    this.carryLen = 0;
    this.skipping = false;
  }

  private emit(buf: Uint8Array, start: number, end: number): void {
    if (end > start && buf[end - 1] === CR) end--;
    this.sink.line(buf, start, end, this.lineOffset, this.lineNo);
  }

  private buffer(chunk: Uint8Array, start: number, end: number): void {
    if (this.skipping) return;
    const need = this.carryLen + (end - start);
    if (need > this.maxLineBytes) {
      this.sink.overlong(this.lineNo, this.lineOffset, this.maxLineBytes);
      this.skipping = true;
      this.carryLen = 0;
      return;
    }
    if (need > this.carry.length) {
      let size = this.carry.length;
      while (size < need) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.carry.subarray(0, this.carryLen));
      this.carry = next;
    }
    this.carry.set(chunk.subarray(start, end), this.carryLen);
    this.carryLen = need;
  }
}
