// The packet table's Source, Destination, Protocol and Length (and captured length) against
// tshark's own packet-list columns of the same files: every fixture under test/fixtures/pcap/ and
// every shared corpus capture with a golden snapshot (read in place, skipped where absent).
// tshark's columns were written once by test/fixtures/pcap/make-expected-columns.sh (tshark is
// not run at test time).
//
// Length and captured length must be equal, always. Protocol mapping accepted: ours is the
// highest layer our dissectors decode, spelled as Wireshark spells it (core/formats/capture/
// columns.ts). Where tshark decodes further (DNS, HTTP, NTP, TLS over UDP/TCP; STP over LLC; a
// payload we leave as Ethernet), it names that layer: the difference is accepted when our layer
// is in tshark's own protocol chain of the frame (frame.protocols), i.e. tshark went past it.
// Every other difference (Source/Destination of tunnels and damaged headers our dissectors read
// differently, a protocol tshark's chain lacks) is listed in a committed snapshot,
// test/golden/snapshots/capture-columns/<file>.json, to be reviewed when it changes
// (UPDATE_GOLDEN=1 rewrites it).
//
// Info is not compared here: Wireshark's sequence analysis (relative numbers, scaled windows,
// "[TCP Retransmission]", "(reply in N)") needs the whole stream; test/unit/packet-columns.test.ts
// checks rows of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CORPUS_CAPTURES, corpusCapture, readCapture } from '../helpers/capture';
import { absentCorpusFile } from '../helpers/third-party';
import { packetColumns } from '../../src/core/formats/capture/columns';
import type { Trace } from '../../src/core/trace/trace';

const ROOT = 'test/fixtures/pcap';

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'expected') out.push(...walk(p));
    } else if (/\.(pcap|pcapng|cap)$/.test(name)) out.push(p);
  }
  return out;
}

const FIXTURES: [string, string][] = [...walk(ROOT).map((f): [string, string] => [f, relative(ROOT, f)]), ...CORPUS_CAPTURES.filter((k) => /\.(pcap|pcapng|cap)$/.test(k)).map((k): [string, string] => [corpusCapture(k), k])];
// (The corpus's malformed non-capture files, .txt/.snoop/.bin, have no packet list to compare.)

const SNAPSHOTS = 'test/golden/snapshots/capture-columns';
const update = process.env.UPDATE_GOLDEN === '1';

/** Our protocol names that tshark's frame.protocols spells differently. */
const CHAIN_NAMES: Readonly<Record<string, string>> = { ipv4: 'ip', linux_vsock: 'vsock', pppoes: 'pppoes', pppoed: 'pppoed' };

/** tshark went past our highest layer: it is in tshark's protocol chain of the frame, not the last. */
function tsharkDecodedFurther(ours: string, chain: string): boolean {
  const layers = chain.split(':');
  const name = CHAIN_NAMES[ours] ?? ours;
  const k = layers.indexOf(name);
  return k >= 0 && k < layers.length - 1;
}

interface Mismatch {
  readonly packet: number;
  readonly column: string;
  readonly ours: string;
  readonly theirs: string;
}

function compare(trace: Trace, tsvPath: string): { compared: number; mismatches: Mismatch[] } {
  const text = readFileSync(tsvPath, 'utf8');
  const rows = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const header = (rows[0] ?? '').split('\t');
  const col = (name: string): number => header.indexOf(name);
  // pcapng custom blocks are frames to tshark (no encapsulation) and no packet to us.
  const frames = rows.slice(1).filter((r) => r.split('\t')[col('frame.encap_type')] !== '');
  const mismatches: Mismatch[] = [];
  let compared = 0;
  for (let i = 0; i < Math.min(frames.length, trace.length); i++) {
    const c = (frames[i] as string).split('\t');
    const theirs = (name: string): string => c[col(name)] ?? '';
    const ours = packetColumns(trace, i);
    const pairs: [string, string, string][] = [
      ['Source', ours.source, theirs('_ws.col.Source')],
      ['Destination', ours.destination, theirs('_ws.col.Destination')],
      ['Protocol', ours.protocol, theirs('_ws.col.Protocol')],
      ['Length', String(ours.length), theirs('frame.len')],
      ['cap_len', String(ours.caplen), theirs('frame.cap_len')],
    ];
    for (const [column, o, t] of pairs) {
      compared++;
      if (o === t) continue;
      if (column === 'Protocol' && tsharkDecodedFurther(trace.event(i), theirs('frame.protocols'))) continue;
      mismatches.push({ packet: i + 1, column, ours: o, theirs: t });
    }
  }
  return { compared, mismatches };
}

for (const [file, rel] of FIXTURES) {
  const key = rel.replace(/\//g, '__');
  const tsv = join(ROOT, 'expected', `${key}.tshark-columns.tsv`);
  const skip = absentCorpusFile(file) || (!existsSync(tsv) && `no tshark columns for ${rel}: run test/fixtures/pcap/make-expected-columns.sh`);
  test(`golden: packet table columns of ${rel} equal tshark's`, { skip }, () => {
    const trace = readCapture(new Uint8Array(readFileSync(file)));
    if (!trace) return;
    const r = compare(trace, tsv);
    const lengths = r.mismatches.filter((m) => m.column === 'Length' || m.column === 'cap_len');
    assert.deepEqual(lengths, [], `frame lengths differ from tshark's in ${rel}`);
    const reviewed = { compared: r.compared, differences: r.mismatches.map((m) => `#${m.packet} ${m.column}: ktl ${JSON.stringify(m.ours)}, tshark ${JSON.stringify(m.theirs)}`) };
    const snap = join(SNAPSHOTS, `${key}.json`);
    if (update) {
      mkdirSync(SNAPSHOTS, { recursive: true });
      if (reviewed.differences.length > 0) writeFileSync(snap, `${JSON.stringify(reviewed, null, 1)}\n`);
      return;
    }
    // No snapshot: no difference is accepted.
    const expected = existsSync(snap) ? (JSON.parse(readFileSync(snap, 'utf8')) as typeof reviewed) : { compared: r.compared, differences: [] };
    assert.deepEqual(reviewed, expected);
  });
}
