/** strace output: the format's entry in the registry. */
import type { FormatSpec } from '../registry';
import { StraceReader, sniffStrace } from './reader';
import { decodeStraceEvent } from './payload';
import { straceRanges } from './ranges';

export const STRACE: FormatSpec = {
  id: 'strace',
  lineKind: 'line',
  sniff: (head) => sniffStrace(head),
  createReader: () => new StraceReader(),
  decode: decodeStraceEvent,
  ranges: straceRanges,
};
