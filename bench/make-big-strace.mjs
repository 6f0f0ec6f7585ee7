// Builds a large strace file from the real strace fixtures for `npm run bench -- parallel`
// (BENCH_FORMAT=strace): the `strace -f -o FILE -tt -T -y` captures (a pid column on every
// line) repeated, each copy later in time than the one before and with its tasks renumbered
// (the pid column and the pids clone/fork return), so the result is one valid, time-ordered
// trace of many short-lived processes with their unfinished/resumed calls.
// Usage: node bench/make-big-strace.mjs OUT_FILE TARGET_BYTES
import { createWriteStream, readFileSync } from 'node:fs';

const [out, targetArg] = process.argv.slice(2);
const target = Number(targetArg ?? 1024 ** 3);
const SOURCES = ['test/fixtures/strace/ospf-hello-raw.strace', 'test/fixtures/strace/ping-f-tt-T-y.strace'];
const LINE = /^(\d+)(\s+)(\d{2}):(\d{2}):(\d{2})\.(\d{6})( .*)$/;
const CLONE_RESULT = /^( (?:clone3?|fork|vfork)\(.*|\s*<\.\.\. (?:clone3?|fork|vfork) resumed>.*)= (\d+)( <[\d.]+>)?$/;

// Every line of the sources as (pid, µs of the day, the rest), the sources one after the other.
const lines = [];
let offsetUs = 0;
for (const src of SOURCES) {
  let text;
  try {
    text = readFileSync(src, 'utf8');
  } catch {
    continue;
  }
  let last = 0;
  let first = -1;
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const us = ((Number(m[3]) * 60 + Number(m[4])) * 60 + Number(m[5])) * 1e6 + Number(m[6]);
    if (first < 0) first = us;
    last = us;
    lines.push({ pid: Number(m[1]), gap: m[2], us: offsetUs + us - first, rest: m[7] });
  }
  offsetUs += last - first + 1000;
}
if (lines.length === 0) throw new Error('no strace lines found in the fixtures');
const span = offsetUs;
const START_US = 3 * 3600e6; // 03:00:00

const ws = createWriteStream(out);
let written = 0;
let copy = 0;
function stamp(us) {
  const day = Math.floor(us / 1e6) % 86400;
  const two = (n) => String(n).padStart(2, '0');
  return `${two(Math.floor(day / 3600))}:${two(Math.floor(day / 60) % 60)}:${two(day % 60)}.${String(us % 1e6).padStart(6, '0')}`;
}
function pump() {
  while (written < target) {
    // Pids stay below 4,194,304 (pid_max): 1000 numberings of 4000 pids, then they are reused.
    const shift = (copy % 1000) * 4000;
    const base = START_US + copy * span;
    const parts = [];
    for (const l of lines) {
      let rest = l.rest;
      const c = CLONE_RESULT.exec(rest);
      if (c) rest = `${c[1]}= ${Number(c[2]) + shift}${c[3] ?? ''}`;
      parts.push(`${l.pid + shift}${l.gap}${stamp(base + l.us)}${rest}\n`);
    }
    copy++;
    const chunk = parts.join('');
    written += Buffer.byteLength(chunk);
    if (!ws.write(chunk)) {
      ws.once('drain', pump);
      return;
    }
  }
  ws.end(() => console.log(`wrote ${out}: ${written} bytes, ${copy} copies of ${lines.length} strace lines`));
}
pump();
