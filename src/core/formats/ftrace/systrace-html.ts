/**
 * ftrace text inside a legacy systrace / Catapult HTML page (catapult systrace's
 * `systrace/systrace/systrace_trace_viewer.html` template, as `run_systrace.py` and Android's
 * `atrace` wrote them): the page carries the trace viewer's JavaScript (often 100 KB or more,
 * minified), then the trace in
 *   `<script class="trace-data" type="application/text">` ... `</script>`
 * — one such block per tracing agent, ftrace text in one, the JSON of other agents in
 * another — or, in the oldest pages, in a JavaScript string
 *   `var linuxPerfData = "\` with each line ending in `\n\`, closed by `";`.
 *
 * The envelope sits in front of the ftrace line reader: it decides from the first non-blank
 * line whether the file is such a page, and then hands on only the trace's lines, with their
 * own line numbers and file offsets (so every event still opens at its line of the file).
 * Everything else of the page is skipped without a word; a page without a trace says so.
 */

const enum State {
  /** Before the first non-blank line. */
  Undecided,
  /** Not an HTML page: every line is the trace's. */
  Plain,
  /** In the page, outside any trace block. */
  Outside,
  /** After a trace-data tag, before the block's first non-blank line. */
  BlockStart,
  /** In a trace-data block of ftrace text. */
  Trace,
  /** In the `linuxPerfData` string. */
  Legacy,
  /** In a trace-data block that is not ftrace text (another agent's JSON). */
  OtherBlock,
}

const LT = 0x3c;
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const LOWER_N = 0x6e;
const QUOTE = 0x22;
const SEMI = 0x3b;

const latin1 = new TextDecoder('latin1');

/** Bytes decoded to look for the page's markers in one line (a minified line may be 1 MiB). */
const MARKER_SCAN_BYTES = 1 << 20;

export class SystraceEnvelope {
  private state = State.Undecided;
  private blocks = 0;
  private marker = false;

  /** For a range of a file known to be plain text (read apart from its head): no page to look for. */
  startPlain(): void {
    this.state = State.Plain;
  }

  /** Whether the file is known to be plain text (every line is the trace's, unchanged). */
  get plain(): boolean {
    return this.state === State.Plain;
  }

  /** Whether the file is an HTML page. */
  get isHtml(): boolean {
    return this.state !== State.Undecided && this.state !== State.Plain;
  }

  /** Whether the page showed a systrace trace block (its tag or the legacy string) or systrace's title so far. */
  get sawTraceMarker(): boolean {
    return this.marker;
  }

  /** ftrace text blocks found in the page. */
  get traceBlocks(): number {
    return this.blocks;
  }

  /**
   * The end of the part of `buf[s, e)` that is trace text, or -1 when the line is not the
   * trace's. `first` is the index of the line's first non-blank byte (`e` for a blank line).
   */
  line(buf: Uint8Array, s: number, first: number, e: number): number {
    switch (this.state) {
      case State.Plain:
        return e;
      case State.Undecided:
        if (first === e) return e;
        this.state = startsHtml(buf, first, e) ? State.Outside : State.Plain;
        return this.state === State.Plain ? e : -1;
      case State.Outside:
        this.outside(buf, s, e);
        return -1;
      case State.BlockStart:
        if (first === e) return -1;
        if (isTagClose(buf, first, e)) {
          this.state = State.Outside;
          return -1;
        }
        if (buf[first] === 0x7b /* { */ || buf[first] === 0x5b /* [ */) {
          this.state = State.OtherBlock;
          return -1;
        }
        this.state = State.Trace;
        this.blocks++;
        return e;
      case State.Trace:
        if (isTagClose(buf, first, e)) {
          this.state = State.Outside;
          return -1;
        }
        return e;
      case State.Legacy: {
        if (isTagClose(buf, first, e) || isStringEnd(buf, first, e)) {
          this.state = State.Outside;
          return -1;
        }
        // `...\n\` : the JavaScript string's escaped newline and line continuation.
        let end = e;
        if (end - s >= 3 && buf[end - 1] === BACKSLASH && buf[end - 2] === LOWER_N && buf[end - 3] === BACKSLASH) end -= 3;
        else if (end - s >= 1 && buf[end - 1] === BACKSLASH) end -= 1;
        return end;
      }
      case State.OtherBlock:
        if (isTagClose(buf, first, e)) this.state = State.Outside;
        return -1;
    }
  }

  /** Whether an over-long line is the page's (minified JavaScript), not the trace's. */
  skipsOverlong(): boolean {
    return this.state === State.Outside || this.state === State.OtherBlock;
  }

  /** Why the page gave no trace, or null. */
  problem(): string | null {
    if (!this.isHtml || this.blocks > 0) return null;
    return 'an HTML page without systrace trace data (no <script class="trace-data"> block of ftrace text, no linuxPerfData string)';
  }

  private outside(buf: Uint8Array, s: number, e: number): void {
    if (buf.subarray(s, e).indexOf(LT) < 0 && buf.subarray(s, e).indexOf(QUOTE) < 0) return;
    const text = latin1.decode(buf.subarray(s, Math.min(e, s + MARKER_SCAN_BYTES)));
    const tag = /<script\b[^>]*\bclass\s*=\s*["']?trace-data\b[^>]*>/i.exec(text);
    if (tag) {
      this.marker = true;
      this.state = State.BlockStart;
      return;
    }
    // systrace's page template is titled so; its trace may start past a detector's sample.
    if (/<title>\s*Android System Trace\s*<\/title>/i.test(text)) this.marker = true;
    if (/\blinuxPerfData\s*=\s*"/.test(text)) {
      this.marker = true;
      this.state = State.Legacy;
      this.blocks++;
    }
  }
}

/** Whether the text's first non-blank line opens an HTML page. */
export function isHtmlPage(head: Uint8Array): boolean {
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  return startsHtml(head, i, head.length);
}

/** `<!DOCTYPE html` or `<html` (any case) at `i`. */
function startsHtml(buf: Uint8Array, i: number, e: number): boolean {
  if (buf[i] !== LT) return false;
  const head = latin1.decode(buf.subarray(i, Math.min(e, i + 16))).toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/** A line starting with `</` (`</script>`): ftrace comms start with `<` (`<idle>`, `<...>`) but never `</`. */
function isTagClose(buf: Uint8Array, i: number, e: number): boolean {
  return i + 1 < e && buf[i] === LT && buf[i + 1] === SLASH;
}

/** `";` or `"` alone: the end of the legacy string. */
function isStringEnd(buf: Uint8Array, i: number, e: number): boolean {
  let k = e;
  while (k > i && (buf[k - 1] === 0x20 || buf[k - 1] === 0x09)) k--;
  return buf[i] === QUOTE && (k === i + 1 || (k === i + 2 && buf[i + 1] === SEMI));
}
