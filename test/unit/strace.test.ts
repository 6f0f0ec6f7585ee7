// strace output, one line shape at a time (shapes from strace(1) and the real captures in
// test/fixtures/strace/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StraceReader } from '../../src/core/formats/strace/reader';
import { eventJson } from '../../src/core/formats/decode';
import { detectBytes, readWith } from '../helpers/text-formats';

const read = (text: string, chunk?: number) => readWith(() => new StraceReader(), text, chunk);
const fields = (text: string, i = 0) => eventJson(read(text), i).fields;

test('-f -tt -T -y with -o: bare pid column, time of day, duration, fd annotation', () => {
  const t = read('31736 03:14:25.645640 sendmsg(3<socket:[254782]>, {msg_name={sa_family=AF_INET}, msg_iovlen=1}, 0) = 300 <0.000033>\n');
  assert.equal(t.meta.format, 'strace');
  assert.equal(t.pid(0), 31736);
  assert.equal(t.event(0), 'sendmsg');
  assert.equal(t.originNs, (3n * 3600n + 14n * 60n + 25n) * 1_000_000_000n + 645_640_000n);
  assert.equal(t.extra('durNs')?.get(0), 33_000);
  assert.equal(t.extra('ret')?.get(0), 300);
  assert.deepEqual(eventJson(t, 0).fields, { args: '3<socket:[254782]>, {msg_name={sa_family=AF_INET}, msg_iovlen=1}, 0', ret: '300', duration_ns: '33000', fd: '3', fd_path: 'socket:[254782]' });
});

test('errno, `= ?`, -ttt epoch timestamps, no pid column', () => {
  const t = read('1732245297.123456 access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory) <0.000005>\n1732245297.223456 exit_group(0)           = ?\n');
  assert.equal(t.pid(0), -1);
  assert.equal(t.tsNs(1), 100_000_000);
  assert.deepEqual(eventJson(t, 0).fields, { args: '"/etc/ld.so.preload", R_OK', ret: '-1', errno: 'ENOENT', errmsg: 'No such file or directory', duration_ns: '5000' });
  assert.ok(Number.isNaN(t.extra('ret')?.get(1)));
  assert.equal(t.strings.get(t.extra('errno')?.get(0) ?? 0), 'ENOENT');
});

test('unfinished/resumed across pids: one event at the start, with the result and duration of the resumed half', () => {
  const text = [
    '31736 03:14:25.696122 pselect6(4, [3<socket:[254782]>], [3<socket:[254782]>], NULL, {tv_sec=0, tv_nsec=50000000}, NULL <unfinished ...>',
    '31777 03:14:25.740759 <... poll resumed>) = 0 (Timeout) <1.501643>',
    '31736 03:14:25.746408 <... pselect6 resumed>) = 1 (out [3], left {tv_sec=0, tv_nsec=18993085}) <0.050193>',
    '',
  ].join('\n');
  for (const chunk of [1, 13, 1 << 20]) {
    const t = read(text, chunk);
    assert.equal(t.length, 2);
    assert.equal(t.event(0), 'pselect6');
    assert.equal(t.line(0), 1);
    assert.equal(t.extra('resumeLine')?.get(0), 3);
    assert.equal(t.extra('durNs')?.get(0), 50_193_000);
    const f = eventJson(t, 0).fields;
    assert.equal(f.args, '4, [3<socket:[254782]>], [3<socket:[254782]>], NULL, {tv_sec=0, tv_nsec=50000000}, NULL');
    assert.equal(f.note, 'out [3], left {tv_sec=0, tv_nsec=18993085}');
    assert.equal(f.resumed_line, '3');
    // The poll's start is not in the file: the resumed half is an event of its own.
    assert.equal(t.event(1), 'poll');
    assert.equal(eventJson(t, 1).fields.resumed_only, 'true');
  }
});

test('a call never resumed stays an event marked unfinished', () => {
  assert.equal(fields('5 10:00:00.000001 read(3,  <unfinished ...>\n').unfinished, 'true');
});

test('signals and exits', () => {
  const t = read('110096 --- SIGINT {si_signo=SIGINT, si_code=SI_KERNEL} ---\n110096 +++ exited with 0 +++\n110097 +++ killed by SIGKILL (core dumped) +++\n110098 --- stopped by SIGSTOP ---\n');
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => [t.event(i), eventJson(t, i).fields]),
    [
      ['signal', { signal: 'SIGINT', info: '{si_signo=SIGINT, si_code=SI_KERNEL}' }],
      ['exit', { status: '0' }],
      ['killed', { signal: 'SIGKILL', core: 'true' }],
      ['signal', { signal: 'SIGSTOP', info: 'stopped' }],
    ],
  );
});

test('[pid N] prefixes (no -o): the first task learns its pid later; a note cut into a line; `=>` continuation', () => {
  const text = [
    '03:15:37.000001 execve("/usr/bin/python3", ["python3"], 0x7ffc /* 35 vars */) = 0 <0.000560>',
    '03:15:37.814332 clone3({flags=CLONE_VM|CLONE_FILES|CLONE_THREAD, child_tid=0x7f5f}strace: Process 752 attached',
    ' => {parent_tid=[752]}, 88) = 752 <0.000205>',
    '[pid   752] 03:15:37.814588 rseq(0x7f5fa62f1fe0, 0x20, 0, 0x53053053) = 0 <0.000065>',
    '[pid   751] 03:15:37.814600 futex(0x14fe9700, FUTEX_WAKE_PRIVATE, 1) = 0 <0.000006>',
    '03:15:38.000000 exit_group(0)           = ?',
    '',
  ].join('\n');
  const t = read(text);
  assert.equal(t.issueCount, 0);
  assert.deepEqual(
    Array.from({ length: t.length }, (_, i) => [t.event(i), t.pid(i), t.tgid(i), t.comm(i)]),
    [
      ['execve', 751, 751, 'python3'],
      ['clone3', 751, 751, 'python3'],
      ['attach', 752, 751, 'python3'],
      ['rseq', 752, 751, 'python3'],
      ['futex', 751, 751, 'python3'],
      ['exit_group', 751, 751, 'python3'],
    ],
  );
  assert.equal(eventJson(t, 1).fields.args, '{flags=CLONE_VM|CLONE_FILES|CLONE_THREAD, child_tid=0x7f5f} => {parent_tid=[752]}, 88');
  assert.equal(eventJson(t, 1).fields.ret, '752');
});

test('comm from execve, inherited by fork children (their own thread group)', () => {
  const t = read('100 execve("/bin/ping", ["ping"], 0x1 /* 1 vars */) = 0\n100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD, child_tidptr=0x7f) = 101\n101 getpid() = 101\n');
  assert.equal(t.comm(2), 'ping');
  assert.equal(t.tgid(2), 101);
});

test('midnight: -tt time of day going back by more than 12 h is the next day', () => {
  const t = read('1 23:59:59.900000 getpid() = 1\n1 00:00:00.100000 getpid() = 1\n');
  assert.equal(t.tsNs(1), 200_000_000);
});

test('-k stack frames under a call', () => {
  const t = read('46099 15:53:49 brk(NULL)                = 0x5607bac04000\n > /usr/lib/ld-linux-x86-64.so.2() [0x23a5b]\n > /usr/lib/ld-linux-x86-64.so.2() [0x1e598]\n');
  assert.deepEqual(eventJson(t, 0).stack, ['/usr/lib/ld-linux-x86-64.so.2() [0x23a5b]', '/usr/lib/ld-linux-x86-64.so.2() [0x1e598]']);
});

test('a line that is not strace is an issue with its line number; reading goes on', () => {
  const t = read('1 getpid() = 1\nhello world\n1 getpid() = 1\n');
  assert.equal(t.length, 2);
  assert.equal(t.issues[0]?.line, 2);
});

test('detection: strace output by content', () => {
  assert.equal(detectBytes(new TextEncoder().encode('22:21:11.524449 brk(NULL) = 0x55edad95f000 <0.000004>\n')), 'strace');
});

test('-r relative timestamps (right-aligned) add up', () => {
  const t = read('     0.000000 execve("/bin/true", ["true"], 0x7ffd /* 1 vars */) = 0\n     0.000250 brk(NULL) = 0x55\n     1.999900 exit_group(0) = ?\n');
  assert.equal(t.issueCount, 0);
  assert.deepEqual([t.tsNs(0), t.tsNs(1), t.tsNs(2)], [0, 250_000, 2_000_150_000]);
});

test('the program on the same terminal: a call cut by its output, its rest on a later line, the -C table skipped', () => {
  const text = [
    '[pid 101] 10:00:00.000001 write(1, "hi there\\n", 9hi there',
    ') = 9 <0.000010>',
    '[pid 102] 10:00:00.000002 clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000}, some other output',
    ' <unfinished ...>',
    'a line the program printed',
    '[pid 102] 10:00:00.000005 <... clock_nanosleep resumed>NULL) = 0 <0.000003>',
    '% time     seconds  usecs/call     calls    errors syscall',
    '------ ----------- ----------- --------- --------- ----------------',
    '  0.00    0.000000           0         1           write',
    '  0.00    0.000000           0         1           clock_nanosleep',
    '------ ----------- ----------- --------- --------- ----------------',
    '100.00    0.000000           0         2           total',
  ].join('\n');
  for (const chunk of [1, 7, 1 << 20]) {
    const t = read(text, chunk);
    assert.equal(t.length, 2);
    assert.deepEqual([t.event(0), t.pid(0), t.event(1), t.pid(1)], ['write', 101, 'clock_nanosleep', 102]);
    const w = eventJson(t, 0).fields;
    assert.equal(w.args, '1, "hi there\\n", 9');
    assert.deepEqual([w.ret, w.duration_ns, w.resumed_line], ['9', '10000', '2']);
    const n = eventJson(t, 1).fields;
    assert.deepEqual([n.ret, n.resumed_line], ['0', '6']);
    assert.equal(t.issueCount, 1);
    assert.deepEqual([t.issues[0]?.line, t.issues[0]?.message.startsWith('1 line of the traced program')], [5, true]);
  }
});

test('a cut call whose rest never comes, and text when nothing is in flight, are still problems', () => {
  const t = read('10:00:00.000001 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3 <0.000010>\nnot strace at all\n10:00:00.000002 write(1, "x", 1x');
  assert.equal(t.length, 2);
  assert.equal(t.issueCount, 2);
  assert.match(t.issues[0]?.message ?? '', /^not a strace line/);
  assert.match(t.issues[1]?.message ?? '', /without a result .* the file ends first/);
});
