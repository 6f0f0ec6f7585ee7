// Seed 004's flight recorder on the real kernel: `ktl record` in an ftrace instance of its
// own records sched:sched_switch and net:* while ping runs across a veth pair between two
// network namespaces and a helper writes trace_marker lines; `--stop-marker 'BUG *'` makes
// the kernel switch the instance off at the helper's BUG line. The trace opens with our
// reader, its last marker is the BUG line, nothing was recorded after it (one event per CPU
// of slack: the trigger runs while other CPUs commit), the helper's later marker writes do
// not fail (ktl clears copy_trace_marker once it sees the stop), and /sys/kernel/tracing is
// exactly as before. Bad input: a missing event, a filter the kernel rejects, a second
// recording while one runs. Needs root and tracefs; skips saying which is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFtraceFile } from '../helpers/read';
import { stateDiff, tracingState } from '../helpers/tracefs-state';

const ROOT = '/sys/kernel/tracing';
const REPO = join(__dirname, '..', '..');
const CLI = [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(REPO, 'src/cli/main.ts')];

function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'recording needs root (tracefs control files)';
  if (!existsSync(join(ROOT, 'available_events'))) return `no tracefs at ${ROOT} (mount -t tracefs nodev ${ROOT})`;
  if (!existsSync(join(ROOT, 'instances'))) return 'tracefs has no instances/';
  for (const tool of ['ip', 'ping']) if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (apt-get install -y iproute2 iputils-ping)`;
  return undefined;
}
const SKIP = skipReason();

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly done: Promise<number | null>;
}

function ktl(args: readonly string[]): Run {
  const child = spawn(process.execPath, [...CLI, 'record', ...args], { cwd: REPO });
  const run: Run = { child, stdout: '', stderr: '', done: new Promise((r) => child.on('close', (c) => r(c))) };
  child.stdout?.on('data', (b: Buffer) => (run.stdout += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (run.stderr += b.toString()));
  return run;
}

async function waitFor(what: string, ms: number, f: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

function sh(cmd: string): void {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
}

/**
 * The application: writes `step N` markers every 20 ms, then the BUG line, then `after N`
 * markers for 1.5 s through the same open fd, noting each write's result and its time after
 * the BUG line (ms). Prints JSON when done.
 */
const MARKER_APP = `
const fs = require('fs');
const fd = fs.openSync('${ROOT}/trace_marker', 'w');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  const before = [];
  for (let i = 0; i < 40; i++) {
    try { fs.writeSync(fd, 'step ' + i + ' descriptor 0x' + (0x16ce900 + i * 0x800).toString(16) + ' FILL -> RX'); before.push('ok'); } catch (e) { before.push(e.code); }
    await sleep(20);
  }
  fs.writeSync(fd, 'BUG descriptor 0x1229100 FILL -> RX: expected 0x13d3900');
  const t0 = Date.now();
  const after = [];
  while (Date.now() - t0 < 1500) {
    await sleep(20);
    try { fs.writeSync(fd, 'after ' + after.length); after.push({ ms: Date.now() - t0, ok: true }); } catch (e) { after.push({ ms: Date.now() - t0, ok: false, code: e.code }); }
  }
  process.stdout.write(JSON.stringify({ before, after }));
})();
`;

test('record sched_switch and net:* in a veth namespace pair until a BUG marker; state unchanged', { skip: SKIP, timeout: 180_000 }, async () => {
  const tag = String(process.pid % 100000);
  const [nsA, nsB, vethA, vethB] = [`ktl-test-a-${tag}`, `ktl-test-b-${tag}`, `ktla${tag}`, `ktlb${tag}`];
  const dir = mkdtempSync(join(tmpdir(), 'ktl-record-'));
  const out = join(dir, 'flight.trace');
  const before = tracingState(ROOT);
  try {
    sh(`ip netns add ${nsA} && ip netns add ${nsB} && ip link add ${vethA} netns ${nsA} type veth peer name ${vethB} netns ${nsB}`);
    sh(`ip -n ${nsA} addr add 10.231.0.1/24 dev ${vethA} && ip -n ${nsB} addr add 10.231.0.2/24 dev ${vethB} && ip -n ${nsA} link set ${vethA} up && ip -n ${nsB} link set ${vethB} up`);
    const run = ktl(['--event', 'sched:sched_switch', '--event', 'net:*', '--stop-marker', 'BUG *', '--buffer-kb', '2048', '--duration', '60', '--out', out, '--', 'ip', 'netns', 'exec', nsA, 'ping', '-c', '100', '-i', '0.05', '10.231.0.2']);
    await waitFor('ktl to start recording', 60_000, () => run.stdout.includes('recording') || run.child.exitCode !== null);
    // Let ping get going so the flight recorder holds net events before the bug.
    await sleep(500);
    const app = spawnSync(process.execPath, ['-e', MARKER_APP], { encoding: 'utf8', timeout: 60_000 });
    const code = await run.done;
    assert.equal(code, 0, `ktl record failed: ${run.stderr}\n${run.stdout}`);
    assert.match(run.stdout, /stopped by trigger traceoff if buf ~ "BUG \*"/);

    const writes = JSON.parse(app.stdout) as { before: string[]; after: { ms: number; ok: boolean; code?: string }[] };
    assert.deepEqual(new Set(writes.before), new Set(['ok']), 'marker writes before the bug must all succeed');
    const lateFailures = writes.after.filter((w) => !w.ok && w.ms >= 500);
    assert.deepEqual(lateFailures, [], 'writes to trace_marker 0.5 s after the stop must not fail (copy_trace_marker cleared)');
    assert.ok(writes.after.some((w) => w.ok), 'the application writes markers again after the stop');

    const text = readFileSync(out, 'utf8');
    assert.match(text.split('\n')[0] as string, /^# ktl: stopped by trigger traceoff if buf ~ "BUG \*"/);
    const trace = readFtraceFile(out);
    assert.equal(trace.meta.stoppedBy, 'trigger traceoff if buf ~ "BUG *" (on ftrace:print)');
    const markers: number[] = [];
    const counts = new Map<string, number>();
    for (let i = 0; i < trace.length; i++) {
      const ev = trace.event(i);
      counts.set(ev, (counts.get(ev) ?? 0) + 1);
      if (ev === 'tracing_mark_write') markers.push(i);
    }
    assert.ok(markers.length > 1, 'the helper\'s markers are in the instance');
    const bug = markers[markers.length - 1] as number;
    assert.match(trace.payloadText(bug), /^BUG descriptor 0x1229100/, 'the last marker is the BUG line');
    assert.ok(markers.some((i) => trace.payloadText(i).startsWith('step ')), 'markers before the bug are kept');
    assert.ok(!markers.some((i) => trace.payloadText(i).startsWith('after ')), 'no marker after the bug was recorded');
    assert.ok((counts.get('sched_switch') ?? 0) > 0, 'sched_switch recorded');
    const net = [...counts].filter(([e]) => ['net_dev_xmit', 'net_dev_queue', 'netif_rx', 'netif_receive_skb'].includes(e));
    assert.ok(net.length > 0, `net events recorded: ${JSON.stringify([...counts])}`);
    const bugTs = trace.tsNs(bug);
    const afterPerCpu = new Map<number, number>();
    for (let i = 0; i < trace.length; i++) if (trace.tsNs(i) > bugTs) afterPerCpu.set(trace.cpu(i), (afterPerCpu.get(trace.cpu(i)) ?? 0) + 1);
    for (const [cpu, n] of afterPerCpu) assert.ok(n <= 1, `CPU ${cpu} recorded ${n} events after the trigger`);
  } finally {
    spawnSync('sh', ['-c', `ip netns del ${nsA}; ip netns del ${nsB}`]);
  }
  assert.deepEqual(stateDiff(before, tracingState(ROOT)), [], 'tracing state changed');
});

test('an event that does not exist: exit 2, named, state unchanged', { skip: SKIP, timeout: 60_000 }, async () => {
  const before = tracingState(ROOT);
  const run = ktl(['--event', 'sched:sched_switch', '--event', 'net:no_such_event', '--out', join(tmpdir(), 'ktl-never.trace')]);
  assert.equal(await run.done, 2);
  assert.equal(run.stderr, 'ktl: event net:no_such_event does not exist on this machine (not in available_events)\n');
  assert.deepEqual(stateDiff(before, tracingState(ROOT)), []);
});

test('a filter the kernel rejects: its error_log message with the position, state unchanged', { skip: SKIP, timeout: 60_000 }, async () => {
  const before = tracingState(ROOT);
  const run = ktl(['--event', 'sched:sched_switch', '--filter', 'sched:sched_switch:prev_pid == abc', '--duration', '1', '--out', join(tmpdir(), 'ktl-never.trace')]);
  assert.equal(await run.done, 2);
  assert.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr}`);
  assert.match(run.stderr, /rejected "prev_pid == abc".*Invalid value \(did you forget quotes\)\? at column \d+ of "prev_pid == abc"/);
  const bad = ktl(['--event', 'sched:sched_switch', '--stop-event', 'sched:sched_switch:no_field > 1', '--duration', '1', '--out', join(tmpdir(), 'ktl-never.trace')]);
  assert.equal(await bad.done, 2);
  assert.match(bad.stderr, /rejected "traceoff if no_field > 1".*Field not found at column \d+ of "no_field > 1"/);
  assert.deepEqual(stateDiff(before, tracingState(ROOT)), []);
});

test('a second recording while one runs is refused; the first, stopped by hand, still saves', { skip: SKIP, timeout: 120_000 }, async () => {
  const before = tracingState(ROOT);
  const dir = mkdtempSync(join(tmpdir(), 'ktl-record-'));
  const first = ktl(['--event', 'sched:sched_switch', '--out', join(dir, 'first.trace')]);
  await waitFor('the first recording to start', 60_000, () => first.stdout.includes('recording') || first.child.exitCode !== null);
  const second = ktl(['--event', 'sched:sched_switch', '--duration', '1', '--out', join(dir, 'second.trace')]);
  assert.equal(await second.done, 2);
  assert.match(second.stderr, /^ktl: a recording is already running \(\/sys\/kernel\/tracing\/instances\/ktl-[0-9a-f]+ exists/);
  assert.ok(!existsSync(join(dir, 'second.trace')));
  first.child.kill('SIGINT');
  assert.equal(await first.done, 0, first.stderr);
  assert.match(first.stdout, /stopped by hand/);
  assert.match(readFileSync(join(dir, 'first.trace'), 'utf8'), /^# ktl: stopped by hand[^\n]*\n# tracer: nop\n[\s\S]*sched_switch: prev_comm=/);
  assert.deepEqual(stateDiff(before, tracingState(ROOT)), []);
});
