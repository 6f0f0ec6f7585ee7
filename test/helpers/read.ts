/** Test helpers: run a reader over bytes fed in chunks of a given size. */
import { readFileSync } from 'node:fs';
import { FtraceTextReader } from '../../src/core/formats/ftrace/reader';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import type { Trace } from '../../src/core/trace/trace';

export function readFtrace(input: Uint8Array | string, chunkSize = 1 << 20): Trace {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const reader = new FtraceTextReader();
  for (let pos = 0; pos < bytes.length; pos += chunkSize) {
    // Copy each chunk so a reader that kept a view of an old chunk would be caught.
    reader.push(bytes.slice(pos, Math.min(bytes.length, pos + chunkSize)));
  }
  return reader.finish(new MemoryByteSource(bytes));
}

export function readFtraceFile(path: string, chunkSize?: number): Trace {
  return readFtrace(new Uint8Array(readFileSync(path)), chunkSize);
}
