/** Test helpers for captures: read a pcap/pcapng in chunks, and a canonical dump for golden tests. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { computeStats } from '../../src/core/analysis/stats';
import { captureInfo } from '../../src/core/formats/capture/common';
import { decodeCapturePayload, packetJson } from '../../src/core/formats/capture/decode';
import { createReader, detectFormat } from '../../src/core/formats/detect';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import type { Trace } from '../../src/core/trace/trace';
import { corpusPath } from './third-party';

/**
 * A capture of the shared corpus (read in place, never committed) by the name the goldens give
 * it: `corpus/<folder>/<file>`, the hadrielk sets flattened (`corpus/pcapng/hadrielk-le-test001.pcapng`
 * is the corpus's `pcapng/hadrielk-le/test001.pcapng`).
 */
export function corpusCapture(key: string): string {
  return corpusPath(key.replace(/^corpus\//, '').replace(/\/(hadrielk-(?:le|be))-(test\d+\.pcapng)$/, '/$1/$2'));
}

/**
 * The shared corpus captures the goldens cover, by golden key (`corpus/pcap/pcpp-microsecs.pcap`):
 * one committed snapshot each, test/golden/snapshots/capture/corpus__<folder>__<file>.json.
 */
export const CORPUS_CAPTURES: readonly string[] = readdirSync('test/golden/snapshots/capture')
  .filter((n) => n.startsWith('corpus__') && n.endsWith('.json'))
  .map((n) => n.slice(0, -'.json'.length).replace(/__/g, '/'))
  .sort();

/** Reads a capture from bytes fed in chunks of `chunkSize` (each chunk a copy), or null when detection refuses it. */
export function readCapture(bytes: Uint8Array, chunkSize = 1 << 20): Trace | null {
  const det = detectFormat(bytes, bytes.length);
  if (!det.ok) return null;
  const reader = createReader(det.format);
  for (let pos = 0; pos < bytes.length; pos += chunkSize) reader.push(bytes.slice(pos, Math.min(bytes.length, pos + chunkSize)));
  return reader.finish(new MemoryByteSource(bytes));
}

export function readCaptureFile(path: string, chunkSize?: number): Trace {
  const t = readCapture(new Uint8Array(readFileSync(path)), chunkSize);
  if (!t) throw new Error(`${path} is not a recognised capture`);
  return t;
}

const LIST_ALL_UP_TO = 150;
const LIST_EDGE = 40;

/** Everything the model and the decoders say about a capture, in a stable order. */
export function captureDump(trace: Trace): unknown {
  const s = computeStats(trace);
  const info = captureInfo(trace);
  const lines: string[] = [];
  for (let i = 0; i < trace.length; i++) {
    lines.push(JSON.stringify({ ...packetJson(trace, i), fields: decodeCapturePayload(trace, i).fields }));
  }
  const listing = lines.length <= LIST_ALL_UP_TO ? lines : [...lines.slice(0, LIST_EDGE), `... ${lines.length - 2 * LIST_EDGE} packets ...`, ...lines.slice(-LIST_EDGE)];
  return {
    format: trace.meta.format,
    originNs: trace.originNs.toString(),
    bytesRead: trace.bytesRead,
    capture: info && {
      byteOrder: info.byteOrder,
      version: info.version,
      nanosecond: info.nanosecond,
      modified: info.modified,
      interfaces: info.interfaces,
      sections: info.sections,
      names: info.names,
      blockCounts: info.blockCounts,
    },
    stats: { packets: s.events, durationNs: s.durationNs, protocols: Object.fromEntries(s.eventCounts) },
    issueCount: trace.issueCount,
    issues: trace.issues,
    packetsSha256: createHash('sha256').update(lines.join('\n')).digest('hex'),
    packets: listing.map((l) => (l.startsWith('{') ? JSON.parse(l) : l)),
  };
}
