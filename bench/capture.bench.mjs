// Packet capture benchmark (run by `npm run bench`): `ktl stats` against capinfos and tcpdump on
// the same file in the same run (DESIGN.md: performance is reported as ratios, never asserted).
//
// Files: a >= 1 GiB pcap and a >= 1 GiB pcapng built from the real captures in
// test/fixtures/pcap and two shared corpus captures (the veth/bridge captures and a TCP stream, all
// Ethernet): their
// packets repeated with timestamps shifted so time keeps going forward; the pcapng spreads them
// over two interfaces (IDBs with if_name) as EPBs. Written under bench/data/ (gitignored).
// Targets (issue 6): ktl stats no slower than `capinfos FILE` (ratio ktl/capinfos <= 1) and at
// least 4x faster than `tcpdump -r FILE -nn -q > /dev/null` (ratio tcpdump/ktl >= 4).
//
// Env: BENCH_BYTES (default 1 GiB), BENCH_RUNS (default 3), BENCH_ONLY=pcap|pcapng.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { median } from './common.mjs';

const BYTES = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ONLY = process.env.BENCH_ONLY;
// The corpus captures are read in place from the shared corpus (never committed); without it
// the files are built from our own captures only, and the output says so.
const CORPUS = process.env.KTL_SHARED_CORPUS ?? '../shared/corpus';
const CORPUS_SOURCES = ['pcap/pcpp-one_tcp_stream.pcap', 'pcap/libpcap-gateway_or_not.pcap'].map((f) => `${CORPUS}/${f}`);
const SOURCES = ['test/fixtures/pcap/host-a.pcap', 'test/fixtures/pcap/host-b-egress-only.pcap', ...CORPUS_SOURCES.filter((f) => existsSync(f))];
if (SOURCES.length < 4) console.log(`shared corpus absent (${CORPUS}): packets from test/fixtures/pcap only`);

/** Packets of a little-endian or big-endian Ethernet pcap: [{ data, origLen }]. */
function pcapPackets(path) {
  const b = readFileSync(path);
  const le = b.readUInt32LE(0) === 0xa1b2c3d4 || b.readUInt32LE(0) === 0xa1b23c4d;
  const u32 = (o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  if (u32(20) !== 1) throw new Error(`${path}: not Ethernet`);
  const out = [];
  for (let p = 24; p + 16 <= b.length; ) {
    const cap = u32(p + 8);
    out.push({ data: b.subarray(p + 16, p + 16 + cap), origLen: u32(p + 12) });
    p += 16 + cap;
  }
  return out;
}

const packets = SOURCES.flatMap(pcapPackets);

function writeBig(path, format) {
  mkdirSync('bench/data', { recursive: true });
  const fd = openSync(path, 'w');
  const pad4 = (n) => (4 - (n % 4)) % 4;
  let head;
  if (format === 'pcap') {
    head = Buffer.alloc(24);
    head.writeUInt32LE(0xa1b2c3d4, 0);
    head.writeUInt16LE(2, 4);
    head.writeUInt16LE(4, 6);
    head.writeUInt32LE(262144, 16);
    head.writeUInt32LE(1, 20);
  } else {
    const shb = Buffer.alloc(28);
    shb.writeUInt32LE(0x0a0d0d0a, 0);
    shb.writeUInt32LE(28, 4);
    shb.writeUInt32LE(0x1a2b3c4d, 8);
    shb.writeUInt16LE(1, 12);
    shb.writeBigInt64LE(-1n, 16);
    shb.writeUInt32LE(28, 24);
    const idb = (name) => {
      const n = Buffer.from(name);
      const opt = 4 + n.length + pad4(n.length) + 4; // if_name + opt_endofopt
      const len = 20 + opt + 4 - 4;
      const b = Buffer.alloc(len + 4);
      b.writeUInt32LE(1, 0);
      b.writeUInt32LE(len + 4, 4);
      b.writeUInt16LE(1, 8);
      b.writeUInt32LE(262144, 12);
      b.writeUInt16LE(2, 16);
      b.writeUInt16LE(n.length, 18);
      n.copy(b, 20);
      b.writeUInt32LE(len + 4, len);
      return b;
    };
    head = Buffer.concat([shb, idb('bench0'), idb('bench1')]);
  }
  // One block of records, rewritten with new timestamps on each pass.
  const recs = [];
  let blockLen = 0;
  for (const p of packets) {
    const len = format === 'pcap' ? 16 + p.data.length : 32 + p.data.length + pad4(p.data.length);
    recs.push({ p, off: blockLen, len });
    blockLen += len;
  }
  const block = Buffer.alloc(blockLen);
  recs.forEach(({ p, off, len }, k) => {
    if (format === 'pcap') {
      block.writeUInt32LE(p.data.length, off + 8);
      block.writeUInt32LE(p.origLen, off + 12);
      p.data.copy(block, off + 16);
    } else {
      block.writeUInt32LE(6, off);
      block.writeUInt32LE(len, off + 4);
      block.writeUInt32LE(k % 2, off + 8);
      block.writeUInt32LE(p.data.length, off + 20);
      block.writeUInt32LE(p.origLen, off + 24);
      p.data.copy(block, off + 28);
      block.writeUInt32LE(len, off + len - 4);
    }
  });
  writeSync(fd, head);
  let written = head.length;
  let us = 1_795_000_000_000_000; // µs since 1970, advancing 37 µs per packet
  while (written < BYTES) {
    for (const { off } of recs) {
      us += 37;
      if (format === 'pcap') {
        block.writeUInt32LE(Math.floor(us / 1e6), off);
        block.writeUInt32LE(us % 1e6, off + 4);
      } else {
        block.writeUInt32LE(Math.floor(us / 2 ** 32), off + 12);
        block.writeUInt32LE(us % 2 ** 32, off + 16);
      }
    }
    writeSync(fd, block);
    written += block.length;
  }
  closeSync(fd);
}

function run(cmd, args, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 1 << 26, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && !(cmd === 'tcpdump' && r.status === 1 && /truncated/.test(r.stderr))) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { sec, stdout: r.stdout, stderr: r.stderr };
}

function runDevNull(cmd, args) {
  // tcpdump's text goes to /dev/null through the shell, as the issue has it.
  return run('sh', ['-c', `${cmd} ${args.join(' ')} > /dev/null`]);
}

function warm(path) {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  while (readSync(fd, buf, 0, buf.length, null) > 0);
  closeSync(fd);
}

const have = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

if (!existsSync('dist/cli.js')) run('node', ['esbuild.mjs']);
for (const tool of ['capinfos', 'tcpdump']) if (!have(tool)) console.log(`${tool} is not installed (apt-get install tshark tcpdump): its column stays empty`);

for (const format of ['pcap', 'pcapng']) {
  if (ONLY && ONLY !== format) continue;
  const file = `bench/data/big.${format}`;
  if (!existsSync(file) || statSync(file).size < BYTES) {
    console.log(`building ${file} (${BYTES} bytes) from ${packets.length} real packets ...`);
    writeBig(file, format);
  }
  const size = statSync(file).size;
  // Warm the page cache for every tool alike, in small reads: holding the whole file here would
  // inflate the children's peak RSS (Linux keeps ru_maxrss across fork + exec).
  warm(file);
  const ktl = [];
  const capinfos = [];
  const tcpdump = [];
  let packetsRead = 0;
  let rssKiB = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = run('node', ['dist/cli.js', 'stats', file, '--json'], { KTL_REPORT_RSS: '1' });
    ktl.push(r.sec);
    packetsRead = JSON.parse(r.stdout).events;
    rssKiB = Math.max(rssKiB, Number(/peak RSS (\d+) KiB/.exec(r.stderr)?.[1] ?? 0));
    if (have('capinfos')) capinfos.push(run('capinfos', [file]).sec);
    if (have('tcpdump')) tcpdump.push(runDevNull('tcpdump', ['-r', file, '-nn', '-q']).sec);
  }
  const mib = size / 1048576;
  const result = {
    file,
    bytes: size,
    packets: packetsRead,
    runs: RUNS,
    ktlSec: median(ktl),
    capinfosSec: capinfos.length ? median(capinfos) : null,
    tcpdumpSec: tcpdump.length ? median(tcpdump) : null,
    ktlOverCapinfos: capinfos.length ? median(ktl) / median(capinfos) : null,
    tcpdumpOverKtl: tcpdump.length ? median(tcpdump) / median(ktl) : null,
    ktlMiBps: mib / median(ktl),
    peakRssMiB: rssKiB / 1024,
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `${format} ${mib.toFixed(0)} MiB, ${packetsRead} packets: ktl stats ${result.ktlSec.toFixed(2)} s (${result.ktlMiBps.toFixed(0)} MiB/s); ` +
      `capinfos ${result.capinfosSec?.toFixed(2)} s -> ktl/capinfos ${result.ktlOverCapinfos?.toFixed(2)} (target <= 1); ` +
      `tcpdump ${result.tcpdumpSec?.toFixed(2)} s -> tcpdump/ktl ${result.tcpdumpOverKtl?.toFixed(1)}x (target >= 4); peak RSS ${result.peakRssMiB.toFixed(0)} MiB`,
  );
}
