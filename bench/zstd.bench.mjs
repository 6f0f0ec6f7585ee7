// zstd decoders on trace.dat v7 blocks (run by `npm run bench -- zstd`): fzstd (pure
// JavaScript, what trace.dat v7 was read with before issue 17) against zstddec (the reference C
// decoder in WebAssembly, what compress.ts uses now) on every zstd block of the real v7
// fixtures (and of bench/data/big.v7-zstd.dat when it is there), same blocks, same run.
// Output must be identical; figures are MiB/s of decompressed output and ratios to fzstd.
//
// Other WebAssembly candidates measured for issue 17 are not dependencies; to measure them
// again, install them in a scratch directory and name its node_modules:
//   (cd /tmp/z && npm i @bokuweb/zstd-wasm zstd-codec @oneidentity/zstd-js @hpcc-js/wasm-zstd)
//   BENCH_ZSTD_CANDIDATES=/tmp/z/node_modules npm run bench -- zstd
// Env: BENCH_RUNS (default 5), BENCH_REPS (passes over the blocks per run, default 20).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const REPS = Number(process.env.BENCH_REPS ?? 20);
const DIR = 'test/fixtures/trace-dat';
const files = readdirSync(DIR).filter((f) => f.endsWith('-zstd.dat')).map((f) => join(DIR, f));
if (existsSync('bench/data/big.v7-zstd.dat')) files.push('bench/data/big.v7-zstd.dat');

// Each block: 4-byte compressed size, 4-byte uncompressed size, one frame (magic 28 b5 2f fd).
const blocks = [];
for (const f of files) {
  const b = readFileSync(f);
  for (let i = 8; i + 4 <= b.length; i++) {
    if (b[i] !== 0x28 || b[i + 1] !== 0xb5 || b[i + 2] !== 0x2f || b[i + 3] !== 0xfd) continue;
    const csize = b.readUInt32LE(i - 8);
    const usize = b.readUInt32LE(i - 4);
    if (csize === 0 || i + csize > b.length || usize === 0 || usize > 1 << 26) continue;
    blocks.push({ data: new Uint8Array(b.subarray(i, i + csize)), size: usize });
    i += csize - 1;
  }
}
const outBytes = blocks.reduce((n, x) => n + x.size, 0);

const require = createRequire(import.meta.url);
const fzstd = require('fzstd');
const { ZSTDDecoder } = await import('zstddec');
const zstddec = new ZSTDDecoder();
await zstddec.init();
const decoders = {
  fzstd: (x) => fzstd.decompress(x.data, new Uint8Array(x.size)),
  zstddec: (x) => zstddec.decode(x.data, x.size),
};

const extra = process.env.BENCH_ZSTD_CANDIDATES;
if (extra) {
  const from = createRequire(join(resolve(extra), 'x.js'));
  const esm = async (name) => import(pathToFileURL(from.resolve(name)).href);
  const tries = {
    '@bokuweb/zstd-wasm': async () => {
      const m = from('@bokuweb/zstd-wasm');
      await m.init();
      return (x) => m.decompress(x.data);
    },
    'zstd-codec': async () => {
      const { ZstdCodec } = from('zstd-codec');
      const z = await new Promise((res) => ZstdCodec.run(res));
      const s = new z.Simple();
      return (x) => s.decompress(x.data);
    },
    '@oneidentity/zstd-js': async () => {
      const { ZstdSimple } = await from('@oneidentity/zstd-js').ZstdInit();
      return (x) => ZstdSimple.decompress(x.data);
    },
    '@hpcc-js/wasm-zstd': async () => {
      const z = await (await esm('@hpcc-js/wasm-zstd')).Zstd.load();
      return (x) => z.decompress(x.data);
    },
  };
  for (const [name, load] of Object.entries(tries)) {
    try {
      decoders[name] = await load();
    } catch (err) {
      console.log(`${name}: not loaded (${String(err?.message ?? err).slice(0, 120)})`);
    }
  }
}

const reference = blocks.map((x) => decoders.fzstd(x));
const rows = [];
for (const [name, fn] of Object.entries(decoders)) {
  let identical = true;
  let error = '';
  try {
    blocks.forEach((x, k) => {
      if (Buffer.compare(Buffer.from(fn(x) ?? []), Buffer.from(reference[k])) !== 0) identical = false;
    });
  } catch (err) {
    error = String(err?.message ?? err).slice(0, 120);
  }
  if (error || !identical) {
    rows.push({ name, identical: false, error: error || 'different output', MiBps: null });
    continue;
  }
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < REPS; k++) for (const x of blocks) fn(x);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  rows.push({ name, identical: true, MiBps: (outBytes * REPS) / times[Math.floor(RUNS / 2)] / 1048576 });
}
const base = rows[0].MiBps;
console.log(JSON.stringify({ files, blocks: blocks.length, decompressedBytes: outBytes, rows }, null, 2));
for (const r of rows) {
  console.log(r.MiBps === null ? `${r.name}: unusable here (${r.error})` : `${r.name}: ${r.MiBps.toFixed(0)} MiB/s, ${(r.MiBps / base).toFixed(1)}x fzstd`);
}
