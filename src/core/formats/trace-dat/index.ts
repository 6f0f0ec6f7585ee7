/** trace-cmd's binary trace.dat (v6/v7): the format's entry in the registry. */
import type { FormatSpec } from '../registry';
import { TraceDatReader, decodeTraceDatEvent, sniffTraceDat } from './reader';
import { loadZstd } from './compress';

// By its magic; fields and text are decoded on demand.
export const TRACE_CMD_DAT: FormatSpec = {
  id: 'trace-cmd-dat',
  lineKind: 'none',
  sniff: (head) => sniffTraceDat(head),
  createReader: () => new TraceDatReader(),
  prepare: loadZstd,
  decode: decodeTraceDatEvent,
};
