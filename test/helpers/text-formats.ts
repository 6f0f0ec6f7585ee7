/**
 * Test helpers for the text readers other than ftrace (trace-cmd report, perf script, strace,
 * printf): read bytes in chunks of a given size, golden suites over fixture folders, and
 * mutation fuzzing. Golden snapshots live in test/golden/snapshots/<format>/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MemoryByteSource } from '../../src/core/trace/byte-source';
import type { FormatId, Trace } from '../../src/core/trace/trace';
import type { TraceReader } from '../../src/core/formats/reader';
import { createReader, detectFormat, DETECT_SAMPLE_BYTES } from '../../src/core/formats/detect';
import { eventJson } from '../../src/core/formats/decode';
import { loadTraceFile } from '../../src/core/io/file-source';
import { computeStats } from '../../src/core/analysis/stats';
import { canonicalDump } from './dump';
import { rng } from './rng';
import { absentCorpusFile } from './third-party';

export function readWith(makeReader: () => TraceReader, input: Uint8Array | string, chunkSize = 1 << 20): Trace {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const reader = makeReader();
  for (let pos = 0; pos < bytes.length; pos += chunkSize) {
    // Copy each chunk so a reader that kept a view of an old chunk would be caught.
    reader.push(bytes.slice(pos, Math.min(bytes.length, pos + chunkSize)));
  }
  return reader.finish(new MemoryByteSource(bytes));
}

export function readFormat(format: FormatId, input: Uint8Array | string, chunkSize?: number): Trace {
  return readWith(() => createReader(format), input, chunkSize);
}

/** What detect.ts makes of the file's head (as loadTraceFile and `ktl` call it). */
export function detectBytes(bytes: Uint8Array): string {
  const d = detectFormat(bytes.subarray(0, DETECT_SAMPLE_BYTES), bytes.length);
  return d.ok ? d.format : `not detected: ${d.reason}`;
}

export function fixtureFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.') && f !== 'LICENSES' && f !== 'README.md')
    .sort()
    .map((f) => join(dir, f));
}

/**
 * The text traces in `dir` (none when it is absent: the shared corpus may be): its files but
 * notes, scripts, JSON and trace.dat files.
 */
export function textFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !n.endsWith('.md') && !n.endsWith('.dat') && !n.endsWith('.json') && !n.endsWith('.sh'))
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}

/** Shared-corpus files (paths relative to it), read in place; tests over them skip where it is absent. */
export { corpusPath } from './third-party';

export interface GoldenCase {
  readonly file: string;
  /** Reader for this file (default: the format's registered reader). */
  readonly makeReader?: () => TraceReader;
  /** Expected detection; null when the file needs reader options (a printf pattern) to be read. */
  readonly detect: FormatId | null;
}

/** Golden snapshot + 1/7/4096-byte chunking + detection, for each case. */
export function goldenSuite(format: FormatId, cases: readonly GoldenCase[]): void {
  const dir = join('test/golden/snapshots', format);
  const update = process.env.UPDATE_GOLDEN === '1';
  for (const c of cases) {
    const name = basename(c.file);
    const make = c.makeReader ?? (() => createReader(format));
    const skip = absentCorpusFile(c.file);
    test(`golden ${format}: ${name}`, { skip }, () => {
      const bytes = new Uint8Array(readFileSync(c.file));
      const dump = canonicalDump(readWith(make, bytes));
      const snapPath = join(dir, `${name}.json`);
      const text = `${JSON.stringify(dump, null, 1)}\n`;
      if (update || !existsSync(snapPath)) {
        if (!update) assert.fail(`no snapshot ${snapPath}; run with UPDATE_GOLDEN=1 and review it`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(snapPath, text);
        return;
      }
      assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(snapPath, 'utf8')));
    });
    test(`chunking ${format}: ${name} read in 1-, 7- and 4096-byte chunks equals the whole-buffer read`, { skip }, () => {
      const bytes = new Uint8Array(readFileSync(c.file));
      const whole = canonicalDump(readWith(make, bytes));
      for (const chunk of [1, 7, 4096]) assert.deepEqual(canonicalDump(readWith(make, bytes, chunk)), whole, `chunk size ${chunk}`);
    });
    if (c.detect !== null) {
      test(`detect ${format}: ${name} is recognised by its content as ${c.detect}`, { skip }, () => {
        assert.equal(detectBytes(new Uint8Array(readFileSync(c.file))), c.detect);
      });
    }
  }
}

/** Truncation, bit flips, and runs of bytes that matter to text readers. */
export function mutate(input: Uint8Array, r: () => number, fills: readonly number[]): Uint8Array {
  let b = input.slice(0, Math.max(0, Math.floor(input.length * (0.5 + r() / 2))));
  const flips = Math.floor(r() * 64);
  for (let k = 0; k < flips && b.length > 0; k++) {
    const at = Math.floor(r() * b.length);
    b[at] = (b[at] as number) ^ (1 << Math.floor(r() * 8));
  }
  const runs = Math.floor(r() * 8);
  for (let k = 0; k < runs && b.length > 0; k++) {
    const at = Math.floor(r() * b.length);
    const fill = fills[Math.floor(r() * fills.length)] as number;
    const len = Math.floor(r() * 200);
    const grown = new Uint8Array(b.length + len);
    grown.set(b.subarray(0, at));
    grown.fill(fill, at, at + len);
    grown.set(b.subarray(at), at + len);
    b = grown;
  }
  return b;
}

/**
 * Mutation fuzzing of one reader over real fixtures: it must never throw, never hang (the
 * test has a timeout), keep issue positions inside the input, and every event must decode.
 * A fixed seed makes a failure reproducible: the message names it.
 */
export function fuzzSuite(
  label: string,
  files: readonly string[],
  makeReader: () => TraceReader,
  fills: readonly number[],
  /** eventsPerLine: most events one line may give (strace: 2, a call cut by an embedded "Process N attached" note). */
  opts: { readonly eventsPerLine?: number; readonly iterations?: number } = {},
): void {
  const iterations = Number(process.env.FUZZ_ITERATIONS ?? opts.iterations ?? 40);
  const eventsPerLine = opts.eventsPerLine ?? 2;
  for (const file of files) {
    test(`fuzz ${label}: ${file}`, { timeout: 120_000, skip: absentCorpusFile(file) }, () => {
      const original = new Uint8Array(readFileSync(file));
      for (let it = 0; it < iterations; it++) {
        const seed = (it + 1) * 2654435761;
        const r = rng(seed);
        const bytes = mutate(original, r, fills);
        const reader = makeReader();
        try {
          for (let pos = 0; pos < bytes.length; ) {
            const n = 1 + Math.floor(r() * 5000);
            reader.push(bytes.subarray(pos, pos + n));
            pos += n;
          }
          const t = reader.finish(new MemoryByteSource(bytes));
          let lines = 1;
          for (const c of bytes) if (c === 0x0a) lines++;
          assert.ok(t.length <= eventsPerLine * lines, 'more events than lines');
          for (const issue of t.issues) {
            assert.ok(issue.line >= 1 && issue.line <= lines, `issue line ${issue.line} outside 1..${lines}`);
            assert.ok(issue.offset >= 0 && issue.offset <= bytes.length, `issue offset ${issue.offset} outside the input`);
          }
          for (let i = 0; i < t.length; i++) {
            const rec = t.record(i);
            assert.ok(rec.offset + rec.length <= bytes.length && rec.payloadStart <= rec.length, `record ${i} outside the input`);
            eventJson(t, i);
          }
          // The detector runs every sniffer on arbitrary heads: it must not throw either.
          detectBytes(bytes);
        } catch (err) {
          assert.fail(`${file} seed ${seed}: ${err instanceof Error ? err.stack : String(err)}`);
        }
      }
    });
  }
}

/**
 * The `ktl stats` path (loadTraceFile, detection included) over real fixtures: each file is
 * `format`, with exactly the expected number of events, which is also what `grepCount` finds
 * in its text, and no errors.
 */
export function statsCountSuite(format: FormatId, files: readonly string[], expected: Readonly<Record<string, number>>, grepCount: (text: string) => number, noun = 'events'): void {
  for (const file of files) {
    const name = basename(file);
    test(`ktl stats path (loadTraceFile): ${name} is ${format} with the grep count of ${noun} and no errors`, { skip: absentCorpusFile(file) }, async () => {
      const t = await loadTraceFile(file);
      try {
        assert.equal(t.meta.format, format);
        const s = computeStats(t);
        assert.equal(s.events, expected[name], 'expected count');
        assert.equal(s.events, grepCount(readFileSync(file, 'utf8')), 'grep count');
        assert.equal(t.issueCount, 0);
      } finally {
        t.close();
      }
    });
  }
}
