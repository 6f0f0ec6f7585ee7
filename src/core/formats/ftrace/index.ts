/** ftrace text (Documentation/trace/ftrace.rst): the format's entry in the registry. */
import type { FormatSpec } from '../registry';
import { firstLine } from '../text-util';
import { FtraceTextReader } from './reader';
import { decodeFtracePayload } from './payload';
import { ftraceRanges } from './ranges';

export const FTRACE: FormatSpec = {
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
  ranges: ftraceRanges,
  decode: (trace, i) => decodeFtracePayload(trace.event(i), trace.payloadText(i), firstLine(trace.recordText(i))),
};
