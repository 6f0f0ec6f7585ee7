/**
 * Test helpers for the trace.dat reader: reading a file in chunks, and parsing the
 * `trace-cmd report` output committed next to each fixture (the golden data).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { TraceDatReader } from '../../src/core/formats/trace-dat/reader';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import type { Trace } from '../../src/core/trace/trace';

export function readDat(bytes: Uint8Array, chunkSize = 1 << 20): Trace {
  const reader = new TraceDatReader();
  // Copies, so a reader that kept a view of an old chunk would be caught.
  for (let pos = 0; pos < bytes.length; pos += chunkSize) reader.push(bytes.slice(pos, Math.min(bytes.length, pos + chunkSize)));
  return reader.finish(new MemoryByteSource(bytes));
}

export function readDatFile(path: string, chunkSize?: number): Trace {
  return readDat(new Uint8Array(readFileSync(path)), chunkSize);
}

/** One event as `trace-cmd report` prints it. */
export interface ReportEvent {
  readonly comm: string;
  readonly pid: number;
  readonly cpu: number;
  /** `seconds.nanoseconds` (report -t). */
  readonly ts: string;
  readonly event: string;
  /** Everything after `event:` and its padding, continuation lines joined with "\n". */
  readonly text: string;
}

/**
 * Parses `trace-cmd report -t [-R] [-N]` output. Event lines look like
 *   `[instance: ]<comm>-<pid> [<cpu>] <sec>.<nsec>: <event>: <text>`
 * with the comm right-aligned; lines that do not match continue the previous event (text that
 * contains newlines, such as marker text). `instances` are the buffer-name prefixes to strip.
 */
/** A `CPU:N [M EVENTS DROPPED]` line: before which event (index), which CPU, how many (null: unknown). */
export interface ReportDrop {
  readonly beforeEvent: number;
  readonly cpu: number;
  readonly count: number | null;
}

export function parseReport(gz: string, instances: readonly string[], drops: ReportDrop[] = []): ReportEvent[] {
  const text = new TextDecoder('utf-8').decode(gunzipSync(readFileSync(gz)));
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: { comm: string; pid: number; cpu: number; ts: string; event: string; text: string }[] = [];
  const head = /^(.*)-(-?\d+)\s+\[(\d+)\]\s+(\d+\.\d{9}):\s(\S+?):\s?(.*)$/;
  for (const raw of lines) {
    let line = raw;
    for (const name of instances) {
      if (name && line.startsWith(`${name}:`)) {
        line = line.slice(name.length + 1);
        break;
      }
    }
    const drop = /^\s*CPU:(\d+) \[(?:(\d+) )?EVENTS DROPPED\]$/.exec(line);
    if (drop) {
      drops.push({ beforeEvent: out.length, cpu: Number(drop[1]), count: drop[2] === undefined ? null : Number(drop[2]) });
      continue;
    }
    const m = out.length === 0 && /^cpus=\d+$/.test(line) ? null : head.exec(line);
    if (m) {
      out.push({ comm: (m[1] as string).trim(), pid: Number(m[2]), cpu: Number(m[3]), ts: m[4] as string, event: m[5] as string, text: (m[6] as string).replace(/^ +/, '') });
    } else if (out.length > 0) {
      const last = out[out.length - 1] as { text: string };
      last.text += `\n${raw}`;
    }
  }
  return out;
}

/** Absolute time of event `i` as `seconds.nanoseconds`. */
export function absTs(trace: Trace, i: number): string {
  const ns = trace.originNs + BigInt(trace.tsNs(i));
  return `${ns / 1_000_000_000n}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}`;
}
