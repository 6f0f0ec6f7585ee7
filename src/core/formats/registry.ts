/**
 * Every format the readers know, in detection order. Adding a format = one reader file, one
 * payload decoder, one entry here (and its FormatId in trace/trace.ts); detect.ts,
 * decode.ts, the worker and `ktl` need no change.
 */
import type { FormatId, Trace } from '../trace/trace';
import type { TraceReader } from './reader';
import type { ReaderOptions } from './reader-options';
import { FtraceTextReader } from './ftrace/reader';
import { isHtmlPage } from './ftrace/systrace-html';
import { decodeFtracePayload, type DecodedPayload } from './ftrace/payload';
import { TraceDatReader, decodeTraceDatEvent, sniffTraceDat } from './trace-dat/reader';
import { TraceCmdReportReader, sniffTraceCmdReport } from './trace-cmd-report/reader';
import { decodeTraceCmdPayload } from './trace-cmd-report/payload';
import { PerfScriptReader, sniffPerfScript } from './perf-script/reader';
import { decodePerfPayload } from './perf-script/payload';
import { StraceReader, sniffStrace } from './strace/reader';
import { decodeStraceEvent } from './strace/payload';
import { PrintfReader, sniffPrintf } from './printf/reader';
import { decodePrintfEvent } from './printf/payload';
import { PcapReader, sniffPcap } from './capture/pcap';
import { PcapngReader, sniffPcapng } from './capture/pcapng';
import { decodeCapturePayload } from './capture/decode';

/** What Trace.line(i) is for a format: a line of a text file, a packet number, or nothing. */
export type LineKind = 'line' | 'packet' | 'none';

export interface FormatSpec {
  readonly id: FormatId;
  readonly lineKind: LineKind;
  /**
   * Whether `head` (the first bytes of the file, cut at a line end for text formats unless it
   * is the whole file) is this format. Returns null when it is, or why it is not.
   */
  sniff(head: Uint8Array, fileSize: number, options: ReaderOptions): string | null;
  createReader(options: ReaderOptions): TraceReader;
  /** Fields of event `i`, decoded on demand from the bytes the reader left in the trace. */
  decode(trace: Trace, i: number): DecodedPayload;
  /**
   * One line of display text for event `i` (the table's "Fields" column, its text filter).
   * Absent: the payload text as the file has it. Binary formats whose payload is not text
   * (packets) say something readable instead.
   */
  text?(trace: Trace, i: number): string;
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}

const ftrace: FormatSpec = {
  id: 'ftrace',
  lineKind: 'line',
  sniff(head) {
    // Run the reader itself over the sample: the format is whatever it accepts.
    const reader = new FtraceTextReader();
    reader.push(head);
    const t = reader.finish(null);
    if (t.length > 0 && t.issueCount <= t.length) return null;
    if (t.length === 0 && t.meta.tracer !== null && t.issueCount === 0) return null;
    // A systrace page whose trace starts past the sample (after the viewer's JavaScript).
    if (t.length === 0 && reader.systracePage) return null;
    const first = t.issues[0];
    return `no ftrace event lines${first ? ` (line ${first.line}: ${first.message})` : ''}`;
  },
  createReader: () => new FtraceTextReader(),
  decode: (trace, i) => decodeFtracePayload(trace.event(i), trace.payloadText(i), firstLine(trace.recordText(i))),
};

// `trace-cmd report` lines are ftrace lines: it is tried before ftrace and accepts only text
// with something trace-cmd alone prints (preamble, buffer prefixes, padded event names).
const traceCmdReport: FormatSpec = {
  id: 'trace-cmd-report',
  lineKind: 'line',
  sniff: (head) => sniffTraceCmdReport(head),
  createReader: () => new TraceCmdReportReader(),
  decode: (trace, i) => decodeTraceCmdPayload(trace.event(i), trace.payloadText(i), firstLine(trace.recordText(i))),
};

const perfScript: FormatSpec = {
  id: 'perf-script',
  lineKind: 'line',
  sniff: (head) => sniffPerfScript(head),
  createReader: () => new PerfScriptReader(),
  decode: (trace, i) => decodePerfPayload(trace.payloadText(i)),
};

const strace: FormatSpec = {
  id: 'strace',
  lineKind: 'line',
  sniff: (head) => sniffStrace(head),
  createReader: () => new StraceReader(),
  decode: decodeStraceEvent,
};

// Last: any text with key=value lines (or lines of the user's pattern) passes.
const printf: FormatSpec = {
  id: 'printf',
  lineKind: 'line',
  // A web page's JavaScript is full of `a=b` (legacy systrace pages without their trace among them).
  sniff: (head, _size, options) => (isHtmlPage(head) ? 'an HTML page, not printf output' : sniffPrintf(head, options.printf)),
  createReader: (options) => new PrintfReader(options.printf),
  decode: decodePrintfEvent,
};

// Captures (binary, recognised by their magic numbers) come before the text formats.
const pcap: FormatSpec = {
  id: 'pcap',
  lineKind: 'packet',
  sniff: (head) => sniffPcap(head),
  createReader: () => new PcapReader(),
  decode: decodeCapturePayload,
  text: captureText,
};

const pcapng: FormatSpec = {
  id: 'pcapng',
  lineKind: 'packet',
  sniff: (head) => sniffPcapng(head),
  createReader: () => new PcapngReader(),
  decode: decodeCapturePayload,
  text: captureText,
};

/** A packet's one-line summary (tcpdump style), as the table shows it. */
function captureText(trace: Trace, i: number): string {
  return decodeCapturePayload(trace, i).fields.summary ?? '';
}

// trace-cmd's binary trace.dat (v6/v7), by its magic: fields and text are decoded on demand.
const traceCmdDat: FormatSpec = {
  id: 'trace-cmd-dat',
  lineKind: 'none',
  sniff: (head) => sniffTraceDat(head),
  createReader: () => new TraceDatReader(),
  decode: decodeTraceDatEvent,
};

export const FORMATS: readonly FormatSpec[] = [pcap, pcapng, traceCmdDat, traceCmdReport, ftrace, perfScript, strace, printf];

export function formatSpec(id: FormatId): FormatSpec {
  const spec = FORMATS.find((f) => f.id === id);
  if (!spec) throw new Error(`no reader registered for format ${id}`);
  return spec;
}
