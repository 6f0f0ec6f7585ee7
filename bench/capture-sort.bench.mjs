// Capture packet-table sort benchmark (run by `npm run bench`): sorting 1 M packets by Source
// (and Destination, Info, Length) in the worker's code (src/worker/row-sort.ts), reported as
// seconds per sort and as a ratio to the time reading the same capture took, in the same process
// and run (DESIGN.md: never asserted in tests). No peer: tshark sorts its packet list only in
// the GUI, so there is no command line to time against.
//
// File: bench/data/sort-1m.pcap (gitignored), the real packets of test/fixtures/pcap (and of two
// shared corpus captures when present) repeated with timestamps moving forward, to BENCH_PACKETS
// packets (default 1 M). Sorting by an address or Info decodes each packet once.
// Env: BENCH_PACKETS, BENCH_RUNS (default 3).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';

const PACKETS = Number(process.env.BENCH_PACKETS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CORPUS = process.env.KTL_SHARED_CORPUS ?? '../shared/corpus';
const SOURCES = [
  'test/fixtures/pcap/host-a.pcap',
  'test/fixtures/pcap/host-b-egress-only.pcap',
  'test/fixtures/pcap/vxlan-overlay-a.pcap',
  ...['pcap/pcpp-one_tcp_stream.pcap', 'pcap/libpcap-gateway_or_not.pcap'].map((f) => `${CORPUS}/${f}`).filter((f) => existsSync(f)),
];

/** Records of a little-endian Ethernet pcap: [{ data, origLen }]. */
function pcapPackets(path) {
  const b = readFileSync(path);
  const le = b.readUInt32LE(0) === 0xa1b2c3d4;
  const u32 = (o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  if (u32(20) !== 1) return [];
  const out = [];
  for (let p = 24; p + 16 <= b.length; p += 16 + u32(p + 8)) out.push({ data: b.subarray(p + 16, p + 16 + u32(p + 8)), origLen: u32(p + 12) });
  return out;
}

const file = `bench/data/sort-${PACKETS}.pcap`;
if (!existsSync(file)) {
  mkdirSync('bench/data', { recursive: true });
  const packets = SOURCES.flatMap(pcapPackets);
  console.log(`building ${file}: ${PACKETS} packets from ${packets.length} real ones (${SOURCES.length} captures) ...`);
  const fd = openSync(file, 'w');
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(1, 20);
  writeSync(fd, head);
  let us = 1_795_000_000_000_000;
  for (let n = 0; n < PACKETS; ) {
    const chunk = [];
    for (const p of packets) {
      if (n++ >= PACKETS) break;
      us += 37;
      const h = Buffer.alloc(16);
      h.writeUInt32LE(Math.floor(us / 1e6), 0);
      h.writeUInt32LE(us % 1e6, 4);
      h.writeUInt32LE(p.data.length, 8);
      h.writeUInt32LE(p.origLen, 12);
      chunk.push(h, p.data);
    }
    writeSync(fd, Buffer.concat(chunk));
  }
  closeSync(fd);
}

const MEASURE = 'bench/data/capture-sort-measure.cjs';
await build({ entryPoints: ['bench/capture-sort-measure.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: MEASURE, logLevel: 'error' });
const r = spawnSync(process.execPath, [MEASURE, file, String(RUNS)], { encoding: 'utf8', maxBuffer: 1 << 26 });
if (r.status !== 0) throw new Error(`measure failed: ${r.stderr}`);
const result = JSON.parse(r.stdout);
console.log(JSON.stringify(result, null, 2));
for (const [k, v] of Object.entries(result.sorts)) {
  console.log(`${result.packets} packets: read ${result.readSec.toFixed(2)} s; sort by ${k} ${v.sec.toFixed(2)} s = ${v.overRead.toFixed(2)}x the read`);
}
