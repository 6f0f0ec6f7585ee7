// The per-fd view of strace traces: seed 003's hunt ("select keeps asking whether fd 5 is
// writable, it never is, sendmsg is never called") must be one field of one view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { StraceReader } from '../../src/core/formats/strace/reader';
import { straceFdViews } from '../../src/core/analysis/strace-fds';
import { readWith } from '../helpers/text-formats';

const read = (text: string) => readWith(() => new StraceReader(), text);

test('seed 003 shape: select asks for fd 5 writable, it never is, sendmsg is never called', () => {
  const lines = ['900 12:00:00.000000 socket(AF_INET, SOCK_RAW, IPPROTO_OSPF) = 5<RAW:[4242]>', '900 12:00:00.000100 sendmsg(5<RAW:[4242]>, {msg_iovlen=1}, 0) = 64'];
  for (let k = 0; k < 30; k++) {
    lines.push(`900 12:00:${String(10 + k).padStart(2, '0')}.000000 select(6, [5<RAW:[4242]>], [5<RAW:[4242]>], NULL, {tv_sec=10, tv_usec=0}) = 0 (Timeout)`);
  }
  const v = straceFdViews(read(`${lines.join('\n')}\n`)).find((x) => x.fd === 5);
  assert.ok(v);
  assert.equal(v.path, 'RAW:[4242]');
  assert.equal(v.openedAt, 0);
  assert.equal(v.writes, 1);
  assert.equal(v.waitsForWrite, 30);
  assert.equal(v.readyForWrite, 0);
  assert.deepEqual(v.stall, { writePolls: 30, sinceTsNs: 10_000_000_000, sinceIndex: 2, everWritable: false });
});

test('real capture (ospf-hello-raw.strace): fd 3 was writable 9 times, then 40 queries went unanswered and nothing was sent', () => {
  const t = readWith(() => new StraceReader(), new Uint8Array(readFileSync('test/fixtures/strace/ospf-hello-raw.strace')));
  const sock = straceFdViews(t, { fds: [3] }).filter((v) => v.path?.startsWith('socket:'));
  assert.equal(sock.length, 1);
  const v = sock[0]!;
  assert.equal(v.calls.pselect6, 60);
  assert.equal(v.calls.sendmsg, 9);
  assert.equal(v.readyForWrite, 9);
  assert.equal(v.writes, 9);
  assert.equal(v.stall?.writePolls, 40);
  assert.equal(v.stall?.everWritable, true);
  assert.ok((v.lastWriteTsNs ?? 0) < (v.stall?.sinceTsNs ?? 0));
  assert.ok(v.closedAt > v.openedAt);
});

test('poll/ppoll readiness, close ends a life, the next open of the number is a new view', () => {
  const text = [
    '7 openat(AT_FDCWD, "/tmp/a", O_RDONLY) = 4',
    '7 poll([{fd=4, events=POLLIN}, {fd=9, events=POLLOUT}], 2, 100) = 1 ([{fd=9, revents=POLLOUT}])',
    '7 close(4) = 0',
    '7 openat(AT_FDCWD, "/tmp/b", O_RDONLY) = 4',
    '7 read(4, "x", 1) = 1',
    '7 pipe2([5, 6], O_CLOEXEC) = 0',
    '',
  ].join('\n');
  const views = straceFdViews(read(text));
  const four = views.filter((v) => v.fd === 4);
  assert.deepEqual(
    four.map((v) => [v.path, v.closedAt, v.waitsForRead, v.reads]),
    [
      ['/tmp/a', 2, 1, 0],
      ['/tmp/b', -1, 0, 1],
    ],
  );
  const nine = views.find((v) => v.fd === 9);
  assert.equal(nine?.readyForWrite, 1);
  assert.deepEqual(
    views.filter((v) => v.fd === 5 || v.fd === 6).map((v) => v.openedAt),
    [5, 5],
  );
});

test('ktl fds FILE --json --fd 3: one object per life of fd 3, the socket with its stall', async () => {
  // commands.ts and the command files import each other: load the table first, as main.ts does.
  const { COMMANDS } = await import('../../src/cli/commands');
  const fdsCommand = COMMANDS.find((c) => c.name === 'fds');
  assert.ok(fdsCommand);
  const { Output } = await import('../../src/cli/output');
  const { PassThrough } = await import('node:stream');
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (d: Buffer) => (text += d.toString()));
  const out = new Output(sink);
  await fdsCommand.run({ positionals: ['test/fixtures/strace/ospf-hello-raw.strace'], values: { json: true, fd: ['3'] } }, out);
  await out.end();
  const views = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { fd: number; path: string | null; stall: { writePolls: number } | null; calls: Record<string, number> });
  assert.ok(views.every((v) => v.fd === 3));
  const sock = views.filter((v) => v.path?.startsWith('socket:'));
  assert.equal(sock.length, 1);
  assert.equal(sock[0]?.stall?.writePolls, 40);
  assert.equal(sock[0]?.calls.sendmsg, 9);
});

test('strace without timestamps (ospf-hello-untimed.strace): times are "none", the stall is still found and placed by its event', () => {
  const t = readWith(() => new StraceReader(), new Uint8Array(readFileSync('test/fixtures/strace/ospf-hello-untimed.strace')));
  assert.equal(t.meta.timeSource, 'none');
  assert.equal(t.issueCount, 0);
  const sock = straceFdViews(t, { fds: [3] }).filter((v) => v.path?.startsWith('socket:'));
  assert.equal(sock.length, 1);
  const v = sock[0]!;
  assert.equal(v.process, -1);
  assert.equal(v.calls.sendmsg, 9);
  assert.equal(v.calls.pselect6, 30);
  // The stall starts at the first pselect6 after the last sendmsg, in file order; every later one is unanswered.
  const stall = v.stall!;
  const lastSend = v.uses.filter((u) => u.call === 'sendmsg').at(-1)!;
  const after = v.uses.filter((u) => u.index > lastSend.index && u.call === 'pselect6');
  assert.ok(after.every((u) => u.asked?.includes('out') && !u.ready?.includes('out')));
  assert.equal(stall.writePolls, after.length);
  assert.equal(stall.writePolls, 10);
  const firstUnanswered = v.uses.find((u) => u.index > lastSend.index && u.call === 'pselect6')!;
  assert.equal(stall.sinceIndex, firstUnanswered.index);
  assert.match(t.recordText(stall.sinceIndex), /^pselect6\(4, \[3<socket:\[\d+\]>\], \[3<socket:\[\d+\]>\], NULL, \{tv_sec=0, tv_nsec=50000000\}, NULL\) = 0 \(Timeout\)$/);
});

test('timed straces keep their time source: -tt is a time of day, -ttt seconds', () => {
  const t = readWith(() => new StraceReader(), new Uint8Array(readFileSync('test/fixtures/strace/ospf-hello-raw.strace')));
  assert.equal(t.meta.timeSource, 'time-of-day');
  // 631   03:15:35.054754 execve(...: the origin is that time of day, so the wall clock can be shown as written.
  assert.equal(t.originNs, BigInt(3 * 3600 + 15 * 60 + 35) * 1_000_000_000n + 54_754_000n);
  const ttt = readWith(() => new StraceReader(), new Uint8Array(readFileSync('test/fixtures/strace/ping-ttt-T-yy.strace')));
  assert.equal(ttt.meta.timeSource, 'timestamps');
});
