/** `perf script` text: the format's entry in the registry. */
import type { FormatSpec } from '../registry';
import { PerfScriptReader, perfScriptRanges, sniffPerfScript } from './reader';
import { decodePerfPayload } from './payload';

export const PERF_SCRIPT: FormatSpec = {
  id: 'perf-script',
  lineKind: 'line',
  sniff: (head) => sniffPerfScript(head),
  createReader: () => new PerfScriptReader(),
  ranges: perfScriptRanges,
  decode: (trace, i) => decodePerfPayload(trace.payloadText(i)),
};
