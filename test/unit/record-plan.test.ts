// Record planning (core/record): which tracefs files a recording writes, in which order, and
// how each is undone; event names validated against available_events; the kernel's
// error_log turned into one line with its position; perf probe lines taken from Probe This
// Line's scripts; the `sudo ktl record` terminal line quoted word by word; and a session
// whose probes cannot be made (as on this locked-down kernel) still deletes what perf added.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { instanceName, markerGlobTrigger, parseAvailableEvents, parseEventExpr, planRecording, RecordUnavailableError, RecordUsageError, resolveEvents, type RecordRequest } from '../../src/core/record/plan';
import { describeKernelError, errorFor, parseErrorLog } from '../../src/core/record/error-log';
import { addedProbeEvents, probeSpecsOfScript, recordArgv, shellWords, sudoRecordLine } from '../../src/core/record/commands';
import { parseCpuStats, summarizeProgress } from '../../src/core/record/progress';
import { recordingFileName, stoppedByLine } from '../../src/core/record/trace-file';
import { lineProbeScript } from '../../src/core/probes/line-probe';
import { record } from '../../src/core/io/record-session';
import { Tracefs } from '../../src/core/io/tracefs';
import { readFtrace } from '../helpers/read';
import { parseLog, writeShim } from '../helpers/shell-shims';

const AVAILABLE = parseAvailableEvents('sched:sched_switch\nsched:sched_wakeup\nnet:net_dev_xmit\nnet:netif_rx\nskb:kfree_skb\n');
const BASE: RecordRequest = { events: ['sched:sched_switch', 'net:*'], filters: [], markers: true };

test('plan: off while set up, filters before enables, triggers, on, then the marker copy last; undo mirrors it, copy cleared first', () => {
  const p = planRecording({ ...BASE, filters: [{ event: 'net:net_dev_xmit', expr: 'len > 100' }], stopMarker: 'BUG *', bufferKb: 2048 }, AVAILABLE, 'ktl-0a0b');
  assert.deepEqual(p.events, ['sched:sched_switch', 'net:net_dev_xmit', 'net:netif_rx']);
  assert.deepEqual(
    p.setup.map((s) => `${s.path}=${s.value}`),
    [
      'instances/ktl-0a0b/tracing_on=0',
      'instances/ktl-0a0b/buffer_size_kb=2048',
      'instances/ktl-0a0b/events/net/net_dev_xmit/filter=len > 100',
      'instances/ktl-0a0b/events/sched/sched_switch/enable=1',
      'instances/ktl-0a0b/events/net/net_dev_xmit/enable=1',
      'instances/ktl-0a0b/events/net/netif_rx/enable=1',
      'instances/ktl-0a0b/events/ftrace/print/trigger=traceoff if buf ~ "BUG *"',
      'instances/ktl-0a0b/tracing_on=1',
      'instances/ktl-0a0b/options/copy_trace_marker=1',
    ],
  );
  assert.deepEqual(
    p.undo.map((s) => `${s.path}=${s.value}`),
    [
      'instances/ktl-0a0b/options/copy_trace_marker=0',
      'instances/ktl-0a0b/tracing_on=0',
      'instances/ktl-0a0b/events/ftrace/print/trigger=!traceoff',
      'instances/ktl-0a0b/events/net/netif_rx/enable=0',
      'instances/ktl-0a0b/events/net/net_dev_xmit/enable=0',
      'instances/ktl-0a0b/events/sched/sched_switch/enable=0',
      'instances/ktl-0a0b/events/net/net_dev_xmit/filter=0',
    ],
  );
  assert.equal(p.stopTrigger, 'traceoff if buf ~ "BUG *" (on ftrace:print)');
  assert.ok(p.setup.every((s) => s.path.startsWith('instances/ktl-0a0b/')), 'nothing outside the instance');
});

test('plan: a stop event gets `traceoff if EXPR` on its own trigger; no markers, no copy option', () => {
  const p = planRecording({ events: ['skb:kfree_skb'], filters: [], markers: false, stopEvent: { event: 'skb:kfree_skb', expr: 'reason == 2' } }, AVAILABLE, 'ktl-01');
  assert.ok(p.setup.some((s) => s.path === 'instances/ktl-01/events/skb/kfree_skb/trigger' && s.value === 'traceoff if reason == 2'));
  assert.equal(p.copyMarkerPath, null);
  assert.ok(!p.setup.some((s) => s.kind === 'option'));
  assert.equal(p.stopTrigger, 'traceoff if reason == 2 (on skb:kfree_skb)');
});

test('events: a missing event is named; a missing system too; names cannot leave events/', () => {
  assert.throws(() => resolveEvents(['sched:sched_switch', 'net:no_such'], AVAILABLE), (e: unknown) => e instanceof RecordUnavailableError && e.message === 'event net:no_such does not exist on this machine (not in available_events)');
  assert.throws(() => resolveEvents(['xdp:*'], AVAILABLE), /no event of system "xdp"/);
  for (const bad of ['..:sched_switch', 'sched:..', 'sched/../x', 'sched', 'sched:a:b', ':x']) assert.throws(() => resolveEvents([bad], AVAILABLE), RecordUsageError, bad);
  assert.throws(() => planRecording({ ...BASE, filters: [{ event: 'skb:kfree_skb', expr: 'x == 1' }] }, AVAILABLE, 'ktl-01'), /not recorded/);
  assert.throws(() => planRecording(BASE, AVAILABLE, 'other'), /bad instance name/);
});

test('marker glob and filter expressions: one line, no quote the kernel cannot escape', () => {
  assert.equal(markerGlobTrigger('BUG*'), 'traceoff if buf ~ "BUG*"');
  for (const bad of ['', 'a"b', 'a\\b', 'BUG\n*', 'x\u001b[2J']) assert.throws(() => markerGlobTrigger(bad), RecordUsageError, JSON.stringify(bad));
  assert.deepEqual(parseEventExpr('--filter', 'sched:sched_switch:prev_pid == 1 && next_comm ~ "a:b"'), { event: 'sched:sched_switch', expr: 'prev_pid == 1 && next_comm ~ "a:b"' });
  assert.throws(() => parseEventExpr('--filter', 'sched:sched_switch:a == 1\necho x'), /one non-empty line/);
  assert.throws(() => parseEventExpr('--filter', 'sched_switch'), /SYSTEM:EVENT:EXPR/);
  assert.match(instanceName(new Uint8Array([0, 255, 16])), /^ktl-00ff10$/);
});

// Copied from this machine's tracefs (6.18), after writing the two expressions below.
const ERROR_LOG = `[ 2787.210069] event filter parse error: error: Invalid value (did you forget quotes)?
  Command: prev_pid == abc
                        ^
[ 2791.041147] event filter parse error: error: Field not found
  Command: nosuch == 1
                  ^
`;

test('error_log: the newest entry about what we wrote, its message and position', () => {
  const entries = parseErrorLog(ERROR_LOG);
  assert.deepEqual(entries, [
    { message: 'event filter parse error: error: Invalid value (did you forget quotes)?', command: 'prev_pid == abc', position: 13 },
    { message: 'event filter parse error: error: Field not found', command: 'nosuch == 1', position: 7 },
  ]);
  const trig = errorFor(entries, 'traceoff if nosuch == 1');
  assert.equal(trig?.command, 'nosuch == 1');
  assert.equal(describeKernelError(trig!), 'Field not found at column 8 of "nosuch == 1" (after "nosuch ")');
  assert.equal(describeKernelError(errorFor(entries, 'prev_pid == abc')!), 'Invalid value (did you forget quotes)? at column 14 of "prev_pid == abc" (after "prev_pid == a")');
  assert.equal(errorFor(entries, 'len > 3'), undefined);
});

test('perf probe lines: taken from a Probe This Line script; the events perf says it added', () => {
  const script = lineProbeScript({ function: '__xsk_rcv_zc', relativeLine: 7, file: 'net/xdp/xsk.c', line: 170, variables: ['addr', 'len'], inScope: new Set(['addr', 'len']) });
  const specs = probeSpecsOfScript(script.script);
  assert.ok(specs.length >= 1, script.script);
  assert.ok(specs.every((s) => s.startsWith('__xsk_rcv_zc:7')), JSON.stringify(specs));
  assert.deepEqual(probeSpecsOfScript("sudo perf probe -a 'xsk_flush:0 xs'  # seed 004\nperf probe --add=xp_raw_get_data:0\necho perf probe -a x # not perf"), ['xsk_flush:0 xs', 'xp_raw_get_data:0', 'x']);
  assert.deepEqual(shellWords(`a 'b c' "d \\" e" f\\ g # h`), ['a', 'b c', 'd " e', 'f g']);
  assert.equal(shellWords("a 'b"), null);
  assert.deepEqual(addedProbeEvents('Added new events:\n  probe:xsk_flush      (on xsk_flush with xs)\n  probe:xsk_flush_1    (on xsk_flush with xs)\n\nYou can now use it in all perf tools'), ['probe:xsk_flush', 'probe:xsk_flush_1']);
});

test('the terminal line: every word quoted, a hostile glob stays one word', () => {
  const line = sudoRecordLine('/usr/bin/node', '/ext dir/dist/cli.js', {
    events: ['sched:sched_switch'],
    probes: ["xsk_flush:0 xs'; rm -rf ~; '"],
    filters: [{ event: 'sched:sched_switch', expr: 'prev_pid == 1' }],
    stopMarker: 'BUG $(reboot) *',
    markers: true,
    out: '/w/traces/ktl-1.trace',
    command: ['sh', '-c', 'echo hi; id'],
  });
  const words = shellWords(line);
  assert.deepEqual(words, ['sudo', '/usr/bin/node', '/ext dir/dist/cli.js', ...recordArgv({ events: ['sched:sched_switch'], probes: ["xsk_flush:0 xs'; rm -rf ~; '"], filters: [{ event: 'sched:sched_switch', expr: 'prev_pid == 1' }], stopMarker: 'BUG $(reboot) *', markers: true, out: '/w/traces/ktl-1.trace', command: ['sh', '-c', 'echo hi; id'] })]);
  // And the shell agrees: printf gets exactly those words.
  const r = spawnSync('sh', ['-c', `set -f; printf '%s\\0' ${line.replace(/^sudo /, '')}`], { encoding: 'utf8' });
  assert.deepEqual(r.stdout.split('\0').slice(0, -1), (words as string[]).slice(1));
});

test('progress from per_cpu stats; file name; the stopped-by header is read back into the summary meta', () => {
  const c0 = parseCpuStats(0, 'entries: 120\noverrun: 3\ncommit overrun: 0\nbytes: 524288\noldest event ts:  2783.1\nnow ts:  2783.3\ndropped events: 2\nread events: 0\n');
  const c1 = parseCpuStats(1, 'entries: 5\noverrun: 0\ncommit overrun: 0\nbytes: 4096\ndropped events: 0\n');
  const p = summarizeProgress([c0, c1], 1024, 1500);
  assert.deepEqual([p.events, p.lost, p.fill], [125, 5, 0.5]);
  assert.equal(recordingFileName(new Date(2026, 11, 7, 9, 5, 3)), 'ktl-20261207-090503.trace');
  const header = stoppedByLine({ kind: 'trigger', trigger: 'traceoff if buf ~ "BUG\u001b*" (on ftrace:print)' });
  assert.equal(header, '# ktl: stopped by trigger traceoff if buf ~ "BUG\\x1b*" (on ftrace:print)\n');
  const t = readFtrace(`${header}# tracer: nop\n#\n            bash-1454    [000] ...1.  2785.330468: tracing_mark_write: BUG here\n`, 7);
  assert.equal(t.meta.stoppedBy, 'trigger traceoff if buf ~ "BUG\\x1b*" (on ftrace:print)');
  assert.equal(t.meta.tracer, 'nop');
  assert.equal(t.length, 1);
  // A marker that prints the same text after the first event is an event, not our header.
  const later = readFtrace(`# tracer: nop\n            bash-1  [000] ...1.  1.000000: tracing_mark_write: x\n# ktl: stopped by hand\n`);
  assert.equal(later.meta.stoppedBy, undefined);
});

test('probes that cannot be made: perf probe -a ran, the missing event is named, perf probe -d deletes it, no instance left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktl-probe-'));
  const root = join(dir, 'tracing');
  mkdirSync(join(root, 'instances'), { recursive: true });
  writeFileSync(join(root, 'available_events'), 'sched:sched_switch\n');
  const log = join(dir, 'perf.log');
  writeFileSync(log, '');
  process.env.KTL_SHIM_LOG = log;
  // Like perf on a kernel with kprobe events: it says what it added (on stderr).
  const perf = writeShim(join(dir, 'bin'), 'perf', `case "$2" in -a) printf 'Added new event:\\n  probe:xsk_flush      (on xsk_flush with xs)\\n\\n' >&2;; esac`);
  await assert.rejects(
    record({ events: ['sched:sched_switch'], filters: [], markers: true, probes: ['xsk_flush:0 xs'], out: join(dir, 'never.trace'), tracefs: Tracefs.at(root), perf }),
    (e: unknown) => e instanceof RecordUnavailableError && /probe:xsk_flush does not exist/.test(e.message),
  );
  assert.deepEqual(parseLog(readFileSync(log, 'utf8')), [
    ['perf', 'probe', '-a', 'xsk_flush:0 xs'],
    ['perf', 'probe', '-d', 'probe:xsk_flush'],
  ]);
  assert.deepEqual(readdirSync(join(root, 'instances')), []);

  // perf itself failing (no kprobes here): its message, and nothing to delete.
  writeFileSync(log, '');
  const failing = writeShim(join(dir, 'bin2'), 'perf', `echo 'Error: Failed to add events.' >&2; exit 1`);
  await assert.rejects(
    record({ events: ['sched:sched_switch'], filters: [], markers: true, probes: ['xsk_flush:0 xs'], out: join(dir, 'never.trace'), tracefs: Tracefs.at(root), perf: failing }),
    /perf probe -a 'xsk_flush:0 xs' failed: Error: Failed to add events\./,
  );
  assert.deepEqual(parseLog(readFileSync(log, 'utf8')), [['perf', 'probe', '-a', 'xsk_flush:0 xs']]);
});

test('a second recording is refused while a ktl instance exists, before perf runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktl-busy-'));
  const root = join(dir, 'tracing');
  mkdirSync(join(root, 'instances', 'ktl-1234abcd'), { recursive: true });
  writeFileSync(join(root, 'available_events'), 'sched:sched_switch\n');
  const log = join(dir, 'perf.log');
  writeFileSync(log, '');
  process.env.KTL_SHIM_LOG = log;
  const perf = writeShim(join(dir, 'bin'), 'perf', '');
  await assert.rejects(record({ events: ['sched:sched_switch'], filters: [], markers: true, probes: ['x:0'], out: join(dir, 'x.trace'), tracefs: Tracefs.at(root), perf }), /a recording is already running \(.*instances\/ktl-1234abcd exists/);
  assert.equal(readFileSync(log, 'utf8'), '');
});
