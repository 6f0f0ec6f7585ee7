/** `trace-cmd report` text: the format's entry in the registry. */
import type { FormatSpec } from '../registry';
import { firstLine } from '../text-util';
import { TraceCmdReportReader, sniffTraceCmdReport } from './reader';
import { decodeTraceCmdPayload } from './payload';

// `trace-cmd report` lines are ftrace lines: it is tried before ftrace and accepts only text
// with something trace-cmd alone prints (preamble, buffer prefixes, padded event names).
export const TRACE_CMD_REPORT: FormatSpec = {
  id: 'trace-cmd-report',
  lineKind: 'line',
  sniff: (head) => sniffTraceCmdReport(head),
  createReader: () => new TraceCmdReportReader(),
  decode: (trace, i) => decodeTraceCmdPayload(trace.event(i), trace.payloadText(i), firstLine(trace.recordText(i))),
};
