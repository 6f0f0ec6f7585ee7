/** `trace-cmd report` text: the format's entry in the registry. */
import type { FormatSpec } from '../registry';
import { firstLine } from '../text-util';
import { TraceCmdReportReader, sniffTraceCmdReport } from './reader';
import { decodeTraceCmdPayload } from './payload';
import { ftraceRanges } from '../ftrace/ranges';

// `trace-cmd report` lines are ftrace lines: it is tried before ftrace and accepts only text
// with something trace-cmd alone prints (preamble, buffer prefixes, padded event names).
export const TRACE_CMD_REPORT: FormatSpec = {
  id: 'trace-cmd-report',
  lineKind: 'line',
  sniff: (head) => sniffTraceCmdReport(head),
  createReader: () => new TraceCmdReportReader(),
  // Its lines are ftrace lines: split as ftrace text is (not function_graph), the buffer name
  // of each event a string id.
  ranges: {
    plan(head) {
      const reader = new TraceCmdReportReader();
      reader.push(head);
      const t = reader.finish(null);
      if (reader.sawFuncGraph || t.meta.tracer === 'function_graph') return { ok: false, reason: 'function_graph: calls nest per CPU in file order' };
      if (t.length === 0) return { ok: false, reason: `no event line in the first ${head.length} bytes, so where the preamble ends is not known` };
      const first = t.record(0);
      return { ok: true, seed: { originNs: t.originNs, tracer: t.meta.tracer }, minStart: first.offset + first.length };
    },
    canStartAt: ftraceRanges.canStartAt,
    createRangeReader: (_options, range) => new TraceCmdReportReader({ range }),
    stringExtras: ['buffer'],
  },
  decode: (trace, i) => decodeTraceCmdPayload(trace.event(i), trace.payloadText(i), firstLine(trace.recordText(i))),
};
