// Builds a large AF_XDP trace for bench/lifecycle.bench.mjs from the real lines of seed 004
// (test/fixtures/ftrace/seed004-fifo-break.trace):
//   - the seven lines of descriptor 0x16ce900's full cycle (lines 13-17, 20, 21: the kernel's
//     __xsk_rcv_zc_L7 on CPU 2, the application's `FILL -> RX`, `egress_tx_queue forward` and
//     `RX -> TX` markers on CPU 1, xp_raw_get_data, `TX -> COMP`, `COMP -> FILL`), repeated;
//     copy k uses UMEM address 0x1000000 + (k mod 4096) * 0x800 (a 4096-frame UMEM, so every
//     descriptor goes round again 4096 cycles later) and is shifted forward in time by k * 80 µs
//     (the cycle spans 76 µs), so the trace stays time-ordered and every cycle is legal;
//   - then the excerpt's remaining lines (18, 19, 22-25), shifted after the last copy, their
//     descriptors renamed to the next four the kernel takes from the FILL ring and, for
//     0x1229100, one 90 places further down it: the seed's FIFO break, the one finding the
//     analysis must report.
// Usage: node bench/lifecycle-make-trace.mjs OUT_FILE EVENTS
import { createWriteStream, readFileSync } from 'node:fs';

const [out, eventsArg] = process.argv.slice(2);
const target = Number(eventsArg ?? 10_000_000);
const lines = readFileSync('test/fixtures/ftrace/seed004-fifo-break.trace', 'utf8').split('\n');
const header = lines.slice(0, 12).join('\n') + '\n';
const TS = /^(.*?\] \S+\s+)(\d+)\.(\d+)(: .*)$/;
const parse = (n) => {
  const m = TS.exec(lines[n - 1]);
  if (!m) throw new Error(`line ${n} is not an event line`);
  return { pre: m[1], us: Number(m[2]) * 1e6 + Number(m[3]), post: m[4] };
};
const cycle = [13, 14, 15, 16, 17, 20, 21].map(parse);
const tail = [18, 19, 22, 23, 24, 25].map(parse);
const t0 = cycle[0].us;
const PERIOD_US = 80;
const POOL = 4096;
const copies = Math.max(1, Math.floor((target - tail.length) / cycle.length));
const fmt = (us) => `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;

const ws = createWriteStream(out);
ws.write(header);
let k = 0;
let written = 0;
function pump() {
  while (k < copies) {
    const parts = [];
    for (let n = 0; n < 2048 && k < copies; n++, k++) {
      const a = `0x${(0x1000000 + (k % POOL) * 0x800).toString(16)}`;
      const b = k * PERIOD_US;
      for (const l of cycle) parts.push(`${l.pre}${fmt(l.us + b)}${l.post.replace('0x16ce900', a)}\n`);
    }
    written += parts.length;
    if (!ws.write(parts.join(''))) {
      ws.once('drain', pump);
      return;
    }
  }
  const shift = copies * PERIOD_US + 1000 - (tail[0].us - t0);
  // The tail's descriptors become the ones the kernel really takes next from the FILL ring
  // (the oldest refills), and 0x1229100 one much further down it, as the seed suspected.
  const rename = new Map([
    ['160a100', 0],
    ['13d3900', 1],
    ['1dba100', 2],
    ['1627100', 3],
    ['1229100', 90],
  ]);
  for (const l of tail) {
    let post = l.post;
    for (const [old, ahead] of rename) post = post.replaceAll(old, (0x1000000 + ((copies + ahead) % POOL) * 0x800).toString(16));
    ws.write(`${l.pre}${fmt(l.us + shift)}${post}\n`);
  }
  written += tail.length;
  ws.end(() => console.log(`wrote ${out}: ${written} events (${copies} cycles of 7 lines + the ${tail.length}-line FIFO break)`));
}
pump();
