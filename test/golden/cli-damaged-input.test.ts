// Every `ktl` command that reads a trace or capture says on stderr what it could not read
// (issue 10, item 8): the count of problems and the first ones with packet/line number and byte
// offset, then exit status 4 (as tcpdump -r exits 1 on a truncated dump file); the output still
// covers what could be read. A clean input: nothing on stderr, status 0.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { bundleNode } from '../../scripts/bundle-node.mjs';
import { LINUX, LINUX_SKIP } from '../helpers/source';

const dir = mkdtempSync(join(tmpdir(), 'ktl-damaged-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// ktl as it ships (bundled, the tree-sitter wasm beside it: `ktl hits` parses C source).
let cli = '';
before(async () => {
  cli = await bundleNode('src/cli/main.ts', join(dir, 'cli.js'));
});
function ktl(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A pcapng cut inside a block: where that block starts and how many packets come before it.
const CUT_AT = 15_000;
const pcapngBytes = readFileSync('test/fixtures/pcap/bridge-multi.pcapng');
let cutBlock = 0;
let packetsBefore = 0;
for (let p = 0; p + pcapngBytes.readUInt32LE(p + 4) <= CUT_AT; p += pcapngBytes.readUInt32LE(p + 4)) {
  const type = pcapngBytes.readUInt32LE(p);
  if (type === 6 || type === 3) packetsBefore++;
  cutBlock = p + pcapngBytes.readUInt32LE(p + 4);
}
const cutPcapng = join(dir, 'cut.pcapng');
writeFileSync(cutPcapng, pcapngBytes.subarray(0, CUT_AT));

/** A text trace with a damaged line (binary bytes, an escape sequence) inserted as line 41. */
function damagedText(fixture: string, name: string, junk: string): { path: string; offset: number } {
  const lines = readFileSync(fixture, 'utf8').split('\n');
  lines.splice(40, 0, junk);
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  return { path, offset: Buffer.byteLength(lines.slice(0, 40).join('\n')) + 1 };
}
const ftrace = damagedText('test/fixtures/ftrace/lifecycle-veth-rps.trace', 'damaged.trace', '\u001b[31mjunk\u0000 here');
const strace = damagedText('test/fixtures/strace/ping-f-tt-T-y.strace', 'damaged.strace', '\u001b[31mjunk here');

const CAPTURE_WHERE = new RegExp(`^ktl:   packet ${packetsBefore + 1}, byte offset ${cutBlock}: the file ends at byte offset ${CUT_AT} inside`, 'm');
const cases: { args: string[]; file: string; where: RegExp; skip?: false | string }[] = [
  { args: ['stats', cutPcapng], file: cutPcapng, where: CAPTURE_WHERE },
  { args: ['packets', cutPcapng], file: cutPcapng, where: CAPTURE_WHERE },
  { args: ['findings', cutPcapng], file: cutPcapng, where: CAPTURE_WHERE },
  { args: ['journey', cutPcapng], file: cutPcapng, where: CAPTURE_WHERE },
  { args: ['align', 'test/fixtures/pcap/bridge-net.trace', cutPcapng], file: cutPcapng, where: CAPTURE_WHERE },
  { args: ['events', ftrace.path], file: ftrace.path, where: new RegExp(`^ktl:   line 41, byte offset ${ftrace.offset}: binary data`, 'm') },
  { args: ['hits', ftrace.path, '--source', LINUX, '--no-cache'], file: ftrace.path, where: new RegExp(`^ktl:   line 41, byte offset ${ftrace.offset}: `, 'm'), skip: LINUX_SKIP },
  { args: ['lifecycle', ftrace.path, '--model', 'skb', '--summary'], file: ftrace.path, where: new RegExp(`^ktl:   line 41, byte offset ${ftrace.offset}: `, 'm') },
  { args: ['interleave', ftrace.path, '--key', 'skbaddr=0xffff'], file: ftrace.path, where: new RegExp(`^ktl:   line 41, byte offset ${ftrace.offset}: `, 'm') },
  { args: ['fds', strace.path], file: strace.path, where: new RegExp(`^ktl:   line 41, byte offset ${strace.offset}: not a strace line`, 'm') },
];

for (const c of cases) {
  test(`ktl ${c.args[0]} on a damaged input: stderr names the problem, exit status 4, the output stays`, { skip: c.skip ?? false }, () => {
    const r = ktl(c.args);
    assert.equal(r.status, 4, r.stderr);
    assert.match(r.stderr, new RegExp(`^ktl: ${c.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 1 problem while reading it; the output covers what could be read:$`, 'm'));
    assert.match(r.stderr, c.where);
    assert.ok(r.stdout.length > 0, 'the output for what was read is still printed');
  });
}

test('the problem text is inert on a terminal: an escape sequence quoted from the file is shown escaped', () => {
  const r = ktl(['fds', strace.path]);
  assert.match(r.stderr, /\\x1b\[31mjunk here/);
  assert.equal(r.stderr.includes('\u001b'), false);
});

test('a clean input: nothing on stderr, exit status 0', () => {
  const r = ktl(['packets', 'test/fixtures/pcap/bridge-multi.pcapng']);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, '');
});
