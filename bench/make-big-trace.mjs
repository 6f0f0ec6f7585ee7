// Builds a large ftrace text file from real fixtures for `npm run bench`: the event lines of
// the captured traces repeated, each copy shifted forward in time past the previous one, so
// the result is still a valid, time-ordered trace.
// Usage: node bench/make-big-trace.mjs OUT_FILE TARGET_BYTES
import { createWriteStream, readFileSync } from 'node:fs';

const [out, targetArg] = process.argv.slice(2);
const target = Number(targetArg ?? 1024 ** 3);
const SOURCES = ['test/fixtures/ftrace/veth-ping.trace', 'test/fixtures/ftrace/veth-ping-tgid.trace', 'test/fixtures/ftrace/function-veth.trace'];
const TS = /^(.*?\] \S+\s+)(\d+)\.(\d+)(: .*)$/;

// Split every event line once into (before, µs timestamp, after).
const lines = [];
for (const src of SOURCES) {
  let text;
  try {
    text = readFileSync(src, 'utf8');
  } catch {
    continue;
  }
  for (const line of text.split('\n')) {
    const m = TS.exec(line);
    if (m) lines.push({ pre: m[1], us: Number(m[2]) * 1e6 + Number(m[3].padEnd(6, '0').slice(0, 6)), post: m[4] });
  }
}
if (lines.length === 0) throw new Error('no event lines found in the fixtures');
lines.sort((a, b) => a.us - b.us);
const first = lines[0].us;
const span = lines[lines.length - 1].us - first + 1000;

const header = '# tracer: nop\n#\n#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n#              | |         |   |||||     |         |\n';
const ws = createWriteStream(out);
let written = 0;
let copy = 0;
function write(s) {
  written += Buffer.byteLength(s);
  return ws.write(s);
}
write(header);
function pump() {
  while (written < target) {
    const base = 1000e6 + copy * span; // µs: start at 1000 s of "uptime"
    const parts = [];
    for (const l of lines) {
      const us = base + (l.us - first);
      parts.push(`${l.pre}${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}${l.post}\n`);
    }
    copy++;
    if (!write(parts.join(''))) {
      ws.once('drain', pump);
      return;
    }
  }
  ws.end(() => console.log(`wrote ${out}: ${written} bytes, ${copy} copies of ${lines.length} event lines`));
}
pump();
