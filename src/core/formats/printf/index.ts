/** bpftrace/SystemTap printf lines: the format's entry in the registry. */
import type { FormatSpec } from '../registry';
import { isHtmlPage } from '../ftrace/systrace-html';
import { PrintfReader, sniffPrintf } from './reader';
import { decodePrintfEvent } from './payload';
import { printfRanges } from './ranges';

// Last in detection order: any text with key=value lines (or lines of the user's pattern) passes.
export const PRINTF: FormatSpec = {
  id: 'printf',
  lineKind: 'line',
  // A web page's JavaScript is full of `a=b` (legacy systrace pages without their trace among them).
  sniff: (head, _size, options) => (isHtmlPage(head) ? 'an HTML page, not printf output' : sniffPrintf(head, options.printf)),
  createReader: (options) => new PrintfReader(options.printf),
  decode: decodePrintfEvent,
  ranges: printfRanges,
};
