/**
 * ftrace text in byte ranges (formats/range.ts): every default, latency and function tracer line
 * stands on its own once the header's tracer and the first event's time are known. Not split:
 * function_graph output (calls nest per CPU and, without funcgraph-abstime, times are summed
 * from durations in file order) and systrace HTML pages (where the trace is depends on the
 * page around it). A range never starts at a ` => ` stack frame: it belongs to the event before.
 */
import { EQUALS, GT, isSpace } from '../ascii';
import type { RangeSupport } from '../range';
import { FtraceTextReader } from './reader';

export const ftraceRanges: RangeSupport = {
  plan(head) {
    const reader = new FtraceTextReader();
    reader.push(head);
    const t = reader.finish(null);
    if (reader.systracePage) return { ok: false, reason: 'a systrace HTML page: the trace lies inside the page' };
    if (reader.sawFuncGraph || t.meta.tracer === 'function_graph') return { ok: false, reason: 'function_graph: calls nest per CPU in file order' };
    if (t.length === 0) return { ok: false, reason: `no event line in the first ${head.length} bytes, so where the header ends is not known` };
    const first = t.record(0);
    return { ok: true, seed: { originNs: t.originNs, tracer: t.meta.tracer }, minStart: first.offset + first.length };
  },
  canStartAt(line) {
    let i = 0;
    while (i < line.length && isSpace(line[i])) i++;
    return !(line[i] === EQUALS && line[i + 1] === GT);
  },
  createRangeReader: (_options, range) => new FtraceTextReader({ range }),
};
