// Golden tests for the trace.dat reader: every fixture against what `trace-cmd report` (3.1.6)
// printed for the same file, committed next to it (gzipped; made by
// test/fixtures/capture/capture-trace-dat.sh, so the test needs no trace-cmd):
//   *.report-raw.txt.gz  `trace-cmd report -N -t -R`: every event's timestamp (ns), CPU, pid,
//                        comm, event name, and every field as name=value
//   *.report.txt.gz      `trace-cmd report -N -t`: the print fmt text
// Every event of every file is compared. Where libtraceevent is known to print something
// else than the record holds, the difference is allowed by name below, with the reason.
// The same files are read again in 1-, 7- and 4096-byte chunks and must give the same trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeEvent } from '../../src/core/formats/decode';
import type { Trace } from '../../src/core/trace/trace';
import { absTs, parseReport, readDat, type ReportDrop, type ReportEvent } from '../helpers/trace-dat';
import { absentCorpusFile, corpusPath } from '../helpers/third-party';

const DIR = 'test/fixtures/trace-dat';
const INSTANCES = ['ktl-trace-dat-fixtures'];
// Own captures, and someone else's (read in place from the shared corpus; its trace-cmd report
// files, made on this machine, are committed beside ours).
const FILES = [
  ...readdirSync(DIR)
    .filter((f) => f.endsWith('.dat'))
    .sort()
    .map((f) => join(DIR, f)),
  corpusPath('trace-cmd/langraph-trace-v7-zstd.dat'),
];

/** Golden files of a fixture: its own, or (zlib: trace-cmd here cannot read it) its zstd twin's. */
function goldenBase(path: string): string {
  return join(DIR, basename(path).replace(/\.v7-zlib\.dat$/, '.v7-zstd.dat').replace(/\.dat$/, ''));
}

/**
 * Field-level differences allowed, each with why:
 * - `padded`: libtraceevent prints 1- and 2-byte signed fields with %1d / %2d (" 5").
 * - `past-record`: kernel_stack's `caller` is declared as 8 longs, but a shorter stack ends the
 *   record early; libtraceevent prints the declared 64 bytes anyway, reading into whatever
 *   follows in its page buffer. We stop at the record's end: our bytes are a prefix of theirs.
 * - `sticky-array`: once libtraceevent has printed a char-array field as ARRAY[..] (its bytes
 *   were not printable), it clears the field's string flag and prints that field as ARRAY[..]
 *   in every later record (tep_print_field_content). We print each record's own value; the
 *   bytes are the same.
 * - `address-text`: u8 arrays the print fmt shows with %pI4 / %pI6c / %pM are given as that
 *   text (10.78.0.2), which trace-cmd's print fmt output of the same event contains; -R prints
 *   their raw bytes.
 */
function sameField(ours: string, theirs: string, event: string, sticky: boolean): 'same' | 'padded' | 'past-record' | 'sticky-array' | 'address-text' | null {
  if (ours === theirs) return 'same';
  if (theirs.trimStart() === ours) return 'padded';
  if (event === 'kernel_stack' && ours.startsWith('ARRAY[') && theirs.startsWith(ours.slice(0, -1))) return 'past-record';
  if (sticky && !ours.startsWith('ARRAY[') && theirs.startsWith('ARRAY[')) {
    const bytes = theirs
      .slice(6, -1)
      .split(', ')
      .filter((x) => x)
      .map((x) => parseInt(x, 16));
    const nul = bytes.indexOf(0);
    if (new TextDecoder().decode(new Uint8Array(nul < 0 ? bytes : bytes.slice(0, nul))) === ours) return 'sticky-array';
  }
  return null;
}

/** Splits trace-cmd's `a=1 b=two words c=3` by the field names we expect, in order. */
function splitFields(text: string, names: readonly string[]): Record<string, string> | null {
  const out: Record<string, string> = {};
  let at = 0;
  for (let k = 0; k < names.length; k++) {
    const name = names[k] as string;
    if (!text.startsWith(`${name}=`, at)) return null;
    const start = at + name.length + 1;
    const next = k + 1 < names.length ? text.indexOf(` ${names[k + 1] as string}=`, start) : text.length;
    if (next < 0) return null;
    out[name] = text.slice(start, next);
    at = next + 1;
  }
  return out;
}

/**
 * Display-text differences allowed (our text is the kernel's; see the kernel's own rendering in
 * *.kernel.txt.gz): libtraceevent evaluates `!(REC->flags & 2) ? (REC->ret > 0 ? REC->ret : 0) : 0`
 * (sock_recv_length, sock_send_length) as if the `!` were missing.
 */
const TEXT_EXCEPTIONS = new Set(['sock_recv_length', 'sock_send_length']);

function header(t: Trace, i: number): string {
  return `${t.comm(i)}-${t.pid(i)} [${t.cpu(i)}] ${absTs(t, i)} ${t.event(i)}`;
}

function theirHeader(e: ReportEvent): string {
  return `${e.comm}-${e.pid} [${e.cpu}] ${e.ts} ${e.event}`;
}

for (const path of FILES) {
  const file = basename(path);
  const base = goldenBase(path);
  const skip = absentCorpusFile(path);
  const bytes = skip ? new Uint8Array(0) : new Uint8Array(readFileSync(path));

  test(`trace.dat golden: ${file}: every event and field agrees with trace-cmd report -R`, { skip }, () => {
    const t = readDat(bytes);
    assert.equal(t.meta.format, 'trace-cmd-dat');
    assert.deepEqual(t.issues, [], 'a real file reads without issues');
    const drops: ReportDrop[] = [];
    const expected = parseReport(`${base}.report-raw.txt.gz`, INSTANCES, drops);
    assert.equal(t.length, expected.length, 'event count');
    // Missed-events marks: trace-cmd prints them before the first event of the page that has them.
    assert.deepEqual(
      t.lost.map((l) => ({ beforeEvent: l.beforeEvent, cpu: l.cpu, count: l.count })),
      drops,
      'lost-event records',
    );
    const shown = parseReport(`${base}.report.txt.gz`, INSTANCES);
    const allowed = new Map<string, number>();
    const sticky = new Set<string>();
    for (let i = 0; i < t.length; i++) {
      const e = expected[i] as ReportEvent;
      assert.equal(header(t, i), theirHeader(e), `event ${i}: timestamp, cpu, pid, comm, name`);
      const fields = { ...decodeEvent(t, i).fields };
      // trace-cmd ends each event with a newline unless its text already ends with one.
      const lastName = Object.keys(fields).pop();
      if (lastName !== undefined) fields[lastName] = (fields[lastName] as string).replace(/\n$/, '');
      const names = Object.keys(fields);
      const theirs = names.length === 0 ? {} : splitFields(e.text, names);
      assert.ok(theirs, `event ${i} (${e.event}): trace-cmd's fields "${e.text}" are not ${names.join(', ')}`);
      for (const name of names) {
        const key = `${e.event}.${name}`;
        let how = sameField(fields[name] as string, theirs[name] as string, e.event, sticky.has(key));
        // Address arrays are given as the format prints them (%pI4, %pI6c, %pM): trace-cmd's
        // own print fmt text of the event shows that same text.
        if (!how && /^[0-9a-f.:-]+$/.test(fields[name] as string) && (shown[i] as ReportEvent).text.includes(fields[name] as string)) how = 'address-text';
        if ((theirs[name] as string).startsWith('ARRAY[')) sticky.add(key);
        assert.ok(how, `event ${i} (${header(t, i)}): field ${name}: ours ${JSON.stringify(fields[name])}, trace-cmd ${JSON.stringify(theirs[name])}`);
        if (how !== 'same') allowed.set(how, (allowed.get(how) ?? 0) + 1);
      }
    }
    if (allowed.size > 0) console.log(`${file}: allowed differences ${JSON.stringify(Object.fromEntries(allowed))}`);
  });

  test(`trace.dat golden: ${file}: display text agrees with trace-cmd report (print fmt)`, { skip }, () => {
    const t = readDat(bytes);
    const expected = parseReport(`${base}.report.txt.gz`, INSTANCES);
    assert.equal(t.length, expected.length);
    let exceptions = 0;
    for (let i = 0; i < t.length; i++) {
      const e = expected[i] as ReportEvent;
      const ours = t.payloadText(i).replace(/\n$/, '');
      if (e.event === 'kernel_stack') {
        // trace-cmd -N renders the format's 8 `\t=> %ps` lines; we list every frame as sym+off/size.
        const theirFrames = e.text
          .split('\n')
          .map((l) => /=> (\S+)/.exec(l)?.[1])
          .filter((x): x is string => x !== undefined);
        const ourFrames = (decodeEvent(t, i).stack ?? []).map((f) => f.replace(/\+0x.*$/, ''));
        // The format prints 8 slots; slots past the stack's end hold 0 (`0x0`).
        const shown = theirFrames.slice(0, Math.min(theirFrames.length, ourFrames.length));
        assert.deepEqual(ourFrames.slice(0, shown.length), shown, `event ${i}: stack frames`);
        assert.ok(theirFrames.slice(shown.length).every((f) => f === '0x0'), `event ${i}: trace-cmd shows more frames than the record holds`);
        continue;
      }
      if (ours !== e.text && TEXT_EXCEPTIONS.has(e.event)) {
        exceptions++;
        continue;
      }
      assert.equal(ours, e.text, `event ${i} (${header(t, i)})`);
    }
    if (exceptions > 0) console.log(`${file}: ${exceptions} events differ where libtraceevent mis-evaluates the print fmt`);
  });

  test(`trace.dat chunking: ${file} read in 1-, 7- and 4096-byte chunks equals the whole-buffer read`, { skip }, () => {
    const dump = (t: Trace) => {
      const rows: string[] = [];
      // The record address decides what decoding reads: equal addresses, equal fields.
      for (let i = 0; i < t.length; i++) rows.push(`${header(t, i)} ${t.flags(i)} ${t.record(i).offset}`);
      return { n: t.length, origin: t.originNs, rows, lost: t.lost, issues: t.issues, bytes: t.bytesRead };
    };
    const whole = dump(readDat(bytes));
    for (const chunk of [1, 7, 4096]) assert.deepEqual(dump(readDat(bytes, chunk)), whole, `chunk size ${chunk}`);
  });
}

test('trace.dat golden: every fixture has its trace-cmd report files', () => {
  for (const file of FILES) {
    const base = goldenBase(file);
    for (const suffix of ['.report-raw.txt.gz', '.report.txt.gz']) {
      assert.ok(existsSync(`${base}${suffix}`), `${base}${suffix}`);
      assert.ok(gunzipSync(readFileSync(`${base}${suffix}`)).length > 0, `${base}${suffix} is empty`);
    }
  }
});
