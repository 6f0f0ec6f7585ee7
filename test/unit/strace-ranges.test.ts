// strace read in byte ranges (src/core/formats/strace/ranges.ts, boundary.ts): where a range may
// start, and the bound on what a range logs for the join. The identity of the merged trace with
// the one reading in order gives is tested in parallel-read.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayStartRange } from '../../src/core/formats/strace/ranges';
import { MAX_TASK_OPS, TaskLog } from '../../src/core/formats/strace/boundary';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('a range starts at a line strace printed, not at what continues the line before', () => {
  for (const line of [
    '[pid  4001] 10:00:00.000001 read(3, "x", 1) = 1 <0.000010>',
    '4001  10:00:00.000001 futex(0x7f, FUTEX_WAIT, 0, NULL <unfinished ...>',
    '4001  10:00:00.000001 <... futex resumed>) = 0 <0.000010>',
    '4001  +++ exited with 0 +++',
    '--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED} ---',
    'getpid() = 12\r',
    'strace: Process 12 attached',
  ]) {
    assert.equal(mayStartRange(bytes(line)), true, line);
  }
  for (const line of [
    ' > /usr/lib/libc.so.6(__write+0x14) [0x10e2d4]',
    ') = 3 <0.000010>',
    ' <unfinished ...>',
    ' => {parent_tid=[752]}, 88) = 752',
    '% time     seconds  usecs/call     calls    errors syscall',
    '------ ----------- ----------- --------- --------- ----------------',
    ' 50.00    0.000100          10        10         2 read',
    'program output',
    'strace: [ Process PID=12 runs in x32 mode. ]',
    '',
    'getpid() = 12\0',
  ]) {
    assert.equal(mayStartRange(bytes(line)), false, line);
  }
});

test('a range logs at most MAX_TASK_OPS steps, then says so (the file is read in order)', () => {
  const log = new TaskLog(false);
  for (let pid = 0; pid < MAX_TASK_OPS; pid++) log.know(pid);
  assert.equal(log.overflow, false);
  log.know(-5);
  assert.equal(log.overflow, true);
  assert.equal(log.ops.length, MAX_TASK_OPS);
});
