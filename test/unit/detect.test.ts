// Format detection by content (issue 10, item 7): binary captures are judged from their uncut
// head, text traces from their first non-blank line however many blank lines come first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DETECT_SAMPLE_BYTES, blankLinesLength, detectFormat } from '../../src/core/formats/detect';
import { loadTraceFile, NotATraceError } from '../../src/core/io/file-source';

const NO_NEWLINE_PCAPNG = 'test/fixtures/detect/no-newline-64k.pcapng';

test('a pcapng whose only 0x0a bytes in the first 64 KiB are its magic is a pcapng (capinfos: 713 packets)', async () => {
  const bytes = new Uint8Array(readFileSync(NO_NEWLINE_PCAPNG));
  assert.ok(bytes.length > DETECT_SAMPLE_BYTES);
  assert.equal(bytes.subarray(4, DETECT_SAMPLE_BYTES).indexOf(0x0a), -1, 'the fixture has no other 0x0a in its head');
  assert.deepEqual(detectFormat(bytes.subarray(0, DETECT_SAMPLE_BYTES), bytes.length), { ok: true, format: 'pcapng' });
  const trace = await loadTraceFile(NO_NEWLINE_PCAPNG);
  assert.equal(trace.length, 713);
  assert.equal(trace.issueCount, 0);
  trace.close();
});

test('blankLinesLength stops at the start of the first line with something on it', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  assert.equal(blankLinesLength(enc('\n\r\n \t\n  x\n')), 6);
  assert.equal(blankLinesLength(enc('x')), 0);
  assert.equal(blankLinesLength(enc('\n\n  ')), 4);
});

/** Writes `prefix` + the file at `path` to a temporary file and loads it; returns event and issue counts. */
async function loadWithPrefix(prefix: string, body: string): Promise<{ format: string; events: number; issues: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ktl-detect-'));
  try {
    const file = join(dir, 'trace');
    writeFileSync(file, prefix + body);
    const t = await loadTraceFile(file);
    const r = { format: t.meta.format, events: t.length, issues: t.issueCount };
    t.close();
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a strace after more than 64 KiB of blank lines is still a strace, with every event', async () => {
  const body = readFileSync('test/fixtures/strace/ping-f-tt-T-y.strace', 'utf8');
  const plain = await loadWithPrefix('', body);
  assert.deepEqual(await loadWithPrefix('\n'.repeat(70_000), body), plain);
  assert.deepEqual(await loadWithPrefix('\r\n'.repeat(40_000), body), plain);
});

test('an ftrace whose first line starts past the first read chunk, its leading spaces split across reads, is ftrace', async () => {
  // The blank-line scan reads 1 MiB chunks from offset 64 KiB: put a chunk boundary inside the
  // first event line's leading spaces (an ftrace line starts with the right-aligned comm).
  const body = readFileSync('test/fixtures/ftrace/veth-ping.trace', 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
  assert.match(body, /^ {5}/);
  const plain = await loadWithPrefix('', body);
  assert.equal(plain.format, 'ftrace');
  assert.deepEqual(await loadWithPrefix('\n'.repeat(64 * 1024 + (1 << 20) - 3), body), plain);
});

test('a file of blank lines only is refused, not read', async () => {
  await assert.rejects(loadWithPrefix('\n'.repeat(200_000), ''), (err) => err instanceof NotATraceError && /not a recognised trace/.test(err.message));
});
