// Golden tests for packet captures: every fixture under test/fixtures/pcap/ (own captures) and
// every shared corpus capture with a committed snapshot (read in place from ../shared/corpus,
// skipped where it is absent) -> canonical dump -> committed snapshot; the same file
// read in 1-, 7- and 4096-byte chunks gives the very same dump; and every field ktl decodes is
// cross-checked against tshark's decode of the same file (test/fixtures/pcap/expected/*.tsv,
// written once by test/fixtures/pcap/make-expected.sh, never at test time).
// Regenerate snapshots after an intended change: UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CORPUS_CAPTURES, captureDump, corpusCapture, readCapture } from '../helpers/capture';
import { absentCorpusFile, corpusPath, corpusSkip } from '../helpers/third-party';
import { decodePacket } from '../../src/core/formats/capture/decode';
import { captureInfo } from '../../src/core/formats/capture/common';
import { SLL_PKTTYPE } from '../../src/core/net/link';
import type { Trace } from '../../src/core/trace/trace';

const ROOT = 'test/fixtures/pcap';
const SNAPSHOTS = 'test/golden/snapshots/capture';
const update = process.env.UPDATE_GOLDEN === '1';

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'expected' && name !== 'LICENSES') out.push(...walk(p));
    } else if (/\.(pcap|pcapng|cap|bin|snoop)$/.test(name) || (dir.endsWith('malformed') && name.endsWith('.txt'))) out.push(p);
  }
  return out;
}

/** [file, golden key]: the key names the snapshot and tshark's expected decode. */
const FIXTURES: [string, string][] = [...walk(ROOT).map((f): [string, string] => [f, relative(ROOT, f)]), ...CORPUS_CAPTURES.map((k): [string, string] => [corpusCapture(k), k])];

/** `1795318320.630900000` from the absolute ns time. */
function epoch(ns: bigint): string {
  const s = ns / 1_000_000_000n;
  const f = ns % 1_000_000_000n;
  return `${s}.${f.toString().padStart(9, '0')}`;
}

function numeric(v: string): number | null {
  if (/^0x[0-9a-f]+$/i.test(v)) return parseInt(v, 16);
  if (/^-?\d+$/.test(v)) return Number(v);
  if (v === 'True') return 1;
  if (v === 'False') return 0;
  return null;
}

/** tshark -T fields escapes CR, LF, TAB and backslash in strings. */
function unescape(v: string): string {
  return v.replace(/\\([rnt\\])/g, (_, c: string) => (c === 'r' ? '\r' : c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
}

function same(ours: string, theirs: string): boolean {
  if (ours === theirs || ours === unescape(theirs)) return true;
  const a = numeric(ours);
  const b = numeric(theirs);
  return a !== null && a === b;
}

interface CrossCheck {
  compared: number;
  /** Fields tshark decodes and ktl does not (reviewed in the snapshot). */
  missing: string[];
  mismatches: string[];
}

function crossCheck(trace: Trace, tsvPath: string): CrossCheck {
  const rows = readFileSync(tsvPath, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
  const result: CrossCheck = { compared: 0, missing: [], mismatches: [] };
  if (rows.length === 0) return result;
  const header = (rows[0] as string).split('\t');
  const info = captureInfo(trace);
  // pcapng custom blocks (CB/DCB) are frames to tshark, with no encapsulation; they hold no packet.
  const encap = header.indexOf('frame.encap_type');
  const frames = rows.slice(1).filter((r) => encap < 0 || r.split('\t')[encap] !== '');
  // tshark stops at the first damage it reports (a `#` line); ktl may read on (e.g. past a skipped section).
  const tsharkStopped = readFileSync(tsvPath, 'utf8').includes('\n# ');
  if (frames.length !== trace.length && !(tsharkStopped && frames.length < trace.length)) result.mismatches.push(`tshark has ${frames.length} frames, ktl ${trace.length} packets`);
  for (let i = 0; i < Math.min(frames.length, trace.length); i++) {
    const cols = (frames[i] as string).split('\t');
    const p = decodePacket(trace, i);
    const mine = new Map<string, string>();
    for (const l of p.layers) for (const f of l.fields) if (!mine.has(f.name)) mine.set(f.name, f.value);
    const iface = info?.interfaces[trace.cpu(i)];
    const frame: Record<string, string | undefined> = {
      // frame.number is not compared: tshark counts pcapng custom blocks as frames, ktl does not.
      'frame.time_epoch': epoch(trace.absNs(i)),
      // tshark numbers interfaces within their section.
      'frame.interface_id': info?.format === 'pcapng' ? String(iface?.localId) : undefined,
      // In later pcapng sections tshark 4.0 takes the name of the interface with the same id in
      // the FIRST section (its snaplen, though, from the right one); per the spec ids are per section.
      'frame.interface_name': iface?.named && iface.section === 0 ? iface.name : undefined,
      'frame.cap_len': String(trace.extra('caplen')?.get(i)),
      'frame.len': String(trace.extra('origLen')?.get(i)),
      'frame.packet_flags_direction': info?.format === 'pcapng' ? String(['', 'in', 'out'].indexOf(trace.flags(i))) : undefined,
      'frame.comment': info?.packetComments.get(i)?.[0],
    };
    const badFraction = trace.issues.some((x) => x.line === i + 1 && x.message.includes('sub-second'));
    header.forEach((name, k) => {
      const theirs = cols[k] ?? '';
      if (theirs === '' || name === 'frame.encap_type') return;
      // tshark prints an out-of-range sub-second field as it is; ktl carries it into the seconds.
      if (name === 'frame.time_epoch' && badFraction) return;
      let ours = name.startsWith('frame.') ? frame[name] : mine.get(name);
      if (name === 'sll.pkttype' && ours !== undefined && SLL_PKTTYPE.includes(ours)) ours = String(SLL_PKTTYPE.indexOf(ours));
      if (ours === undefined) {
        if (!name.startsWith('frame.')) result.missing.push(`#${i + 1} ${name}=${theirs}`);
        return;
      }
      result.compared++;
      if (!same(ours, theirs)) result.mismatches.push(`#${i + 1} ${name}: ktl ${ours}, tshark ${theirs}`);
    });
  }
  return result;
}

for (const [file, rel] of FIXTURES) {
  const key = rel.replace(/\//g, '__');
  const skip = absentCorpusFile(file);
  test(`golden: capture ${rel}`, { skip }, () => {
    const bytes = new Uint8Array(readFileSync(file));
    const trace = readCapture(bytes);
    const tsv = join(ROOT, 'expected', `${key}.tshark.tsv`);
    const check = trace && existsSync(tsv) ? crossCheck(trace, tsv) : null;
    const dump = trace ? { ...(captureDump(trace) as object), tshark: check && { compared: check.compared, missing: check.missing } } : { notACapture: true };
    const snapPath = join(SNAPSHOTS, `${key}.json`);
    const text = `${JSON.stringify(dump, null, 1)}\n`;
    if (update) {
      mkdirSync(SNAPSHOTS, { recursive: true });
      writeFileSync(snapPath, text);
    } else {
      assert.ok(existsSync(snapPath), `no snapshot ${snapPath}; run with UPDATE_GOLDEN=1 and review it`);
      assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(snapPath, 'utf8')));
    }
    if (check) assert.deepEqual(check.mismatches, [], `fields that differ from tshark in ${rel}`);
  });

  test(`chunking: capture ${rel} read in 1-, 7- and 4096-byte chunks equals the whole-buffer read`, { skip }, () => {
    const bytes = new Uint8Array(readFileSync(file));
    const whole = readCapture(bytes);
    if (!whole) return;
    const dump = captureDump(whole);
    for (const chunk of [1, 7, 4096]) assert.deepEqual(captureDump(readCapture(bytes, chunk) as Trace), dump, `chunk size ${chunk}`);
  });
}

// Extra check on the shared corpus files that are not committed (GPL, or large): they read
// without throwing, identically in 1-byte chunks, with the frame count tshark 4.0.17 printed
// (PROVENANCE.md). Skipped when ../shared/corpus is absent.
const EXTRA: [string, number][] = [
  ['pcapng/scapy-pfcp-BE-packetblocks.pcapng', 200],
  ['pcap/pcpp-sll-518pkts.pcap', 518],
  ['pcapng/rusticata-wireshark_samples-test.pcapng', 5898],
  ['malformed/scapy-bad_rsn_parsing_overrides_ssid.pcap', 1],
];
for (const [path, frames] of EXTRA) {
  test(`shared corpus (not committed): ${path}`, { skip: corpusSkip(path) }, () => {
    const bytes = new Uint8Array(readFileSync(corpusPath(path)));
    const t = readCapture(bytes) as Trace;
    assert.equal(t.length, frames);
    assert.deepEqual(captureDump(readCapture(bytes, 1) as Trace), captureDump(t));
  });
}
