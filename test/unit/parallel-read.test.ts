// Reading a text trace in byte ranges on several threads (core/io/parallel-load.ts) gives the
// very Trace reading it in order gives: every fixture and third-party text trace, cut into 2..4
// ranges of forced small sizes (so small files are split too) and at random places, compared
// column by column, string by string, issue by issue. Then what only real worker threads
// show (transferred columns, a failing worker), cancellation and the memory budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTraceFile, NotATraceError, type LoadOptions } from '../../src/core/io/file-source';
import type { ReadPlan } from '../../src/core/io/parallel-load';
import type { Trace } from '../../src/core/trace/trace';
import { fullDump } from '../helpers/full-dump';
import { BLOCK_SIZE, uint32Column } from '../../src/core/trace/columns';
import { SHARED_CORPUS } from '../helpers/third-party';
import { textFiles } from '../helpers/text-formats';
import { rng } from '../helpers/rng';
import { runKtlStatus } from '../helpers/lifecycle-golden';
import { eventJson } from '../../src/core/formats/decode';
import { computeStats, countedStats } from '../../src/core/analysis/stats';

const TEXT_DIRS = ['test/fixtures/ftrace', 'test/fixtures/trace-cmd-report', 'test/fixtures/perf', 'test/fixtures/strace', 'test/fixtures/printf'];
const CORPUS_DIRS = ['ftrace', 'trace-cmd', 'perf', 'strace', 'bpf', 'systrace'].map((d) => join(SHARED_CORPUS, d));

/** `plan`: how the file was cut (or why it was read in order); `redone`: why it was read again in order after the ranges were read. */
async function load(path: string, opts: LoadOptions): Promise<{ trace: Trace | null; plan: ReadPlan | null; redone: string | null }> {
  let plan: ReadPlan | null = null;
  let redone: string | null = null;
  const onPlan = (p: ReadPlan): void => {
    if (plan === null) plan = p;
    else if ('inOrder' in p) redone = p.inOrder;
  };
  try {
    const trace = await loadTraceFile(path, { ...opts, onPlan });
    return { trace, plan, redone };
  } catch (e) {
    if (e instanceof NotATraceError) return { trace: null, plan, redone };
    throw e;
  }
}

const fixtures = TEXT_DIRS.flatMap(textFiles);
const corpus = CORPUS_DIRS.flatMap(textFiles);

test('there are fixtures to split', () => {
  assert.ok(fixtures.length >= 20, `${fixtures.length} text fixtures`);
});

type Setting = { jobs: number; rangeBytes?: number; cutAt?: readonly number[] };

/**
 * Reads `path` in order and in ranges of every forced size (or at the given cuts), compares;
 * returns how many reads were split (cut into two ranges or more and merged, not read again in order).
 */
async function compareSplits(path: string, settings: readonly Setting[], base: LoadOptions = {}): Promise<number> {
  const whole = await load(path, { ...base, jobs: 1 });
  if (!whole.trace) return 0;
  const expected = fullDump(whole.trace);
  let split = 0;
  for (const s of settings) {
    const got = await load(path, { ...base, ...s, rangeRunner: 'same-thread' });
    assert.ok(got.trace, `${path}: read in ranges but not in order`);
    if (got.plan && 'starts' in got.plan && got.plan.starts.length >= 2 && got.redone === null) split++;
    assert.deepEqual(fullDump(got.trace), expected, `${path} with ${JSON.stringify(s)} (${JSON.stringify(got.plan)}, ${got.redone})`);
  }
  return split;
}

test('every text fixture: ranges of forced small sizes give the same trace as reading in order', async () => {
  const split = new Map<string, number>();
  for (const path of fixtures) {
    const size = statSync(path).size;
    const n = await compareSplits(path, [
      { jobs: 2, rangeBytes: Math.ceil(size / 2) },
      { jobs: 3, rangeBytes: 97 },
      { jobs: 4, rangeBytes: 1 },
    ]);
    const dir = path.split('/').at(-2) as string;
    split.set(dir, (split.get(dir) ?? 0) + n);
  }
  // The formats read in ranges were split (function_graph and the systrace page are read in order).
  assert.ok((split.get('ftrace') ?? 0) >= 30, JSON.stringify([...split]));
  assert.ok((split.get('trace-cmd-report') ?? 0) >= 9, JSON.stringify([...split]));
  assert.ok((split.get('perf') ?? 0) >= 8, JSON.stringify([...split]));
  assert.ok((split.get('strace') ?? 0) >= 18, JSON.stringify([...split]));
  // (The printf fixture of columns needs its pattern: below.)
  assert.ok((split.get('printf') ?? 0) >= 3, JSON.stringify([...split]));
});

test('statistics counted by the threads that read the ranges add up to those of the trace read in order', async () => {
  const adopted = new Map<string, number>();
  for (const path of [...fixtures, ...corpus]) {
    const whole = await load(path, { jobs: 1 });
    if (!whole.trace) continue;
    const expected = computeStats(whole.trace);
    assert.equal(countedStats(whole.trace), null, `${path}: read in order, nothing counted while reading`);
    for (const s of [{ jobs: 3, rangeBytes: 97 }, { jobs: 2, rangeBytes: 1 }]) {
      const got = await load(path, { ...s, countStats: true, rangeRunner: 'same-thread' });
      const trace = got.trace as Trace;
      const split = got.plan !== null && 'starts' in got.plan && got.redone === null;
      // Kept for the formats whose ranges need no join (strace and printf: the join changes events).
      const counted = countedStats(trace);
      if (split && counted) adopted.set(path.split('/').at(-2) as string, (adopted.get(path.split('/').at(-2) as string) ?? 0) + 1);
      assert.deepEqual(computeStats(trace), expected, `${path} with ${JSON.stringify(s)}`);
    }
  }
  for (const dir of ['ftrace', 'trace-cmd-report', 'perf']) assert.ok((adopted.get(dir) ?? 0) >= 8, JSON.stringify([...adopted]));
  assert.equal(adopted.get('strace'), undefined);
  // Worker threads post their counts with the part.
  const path = 'test/fixtures/ftrace/veth-ping.trace';
  const inWorkers = await loadTraceFile(path, { jobs: 3, rangeBytes: 4096, countStats: true });
  assert.ok(countedStats(inWorkers));
  assert.deepEqual(computeStats(inWorkers), computeStats((await load(path, { jobs: 1 })).trace as Trace));
});

test('third-party text traces (shared corpus): ranges give the same trace as reading in order', { skip: corpus.length === 0 ? `shared corpus absent (${SHARED_CORPUS})` : false }, async () => {
  let split = 0;
  for (const path of corpus) {
    const n = await compareSplits(path, [{ jobs: 2, rangeBytes: 1 }, { jobs: 4, rangeBytes: 1 }]);
    // Every strace file of the corpus is cut and merged, not read again in order (a file of three
    // lines has no line start past the cut of two ranges: four cut it).
    if (path.includes('/strace/')) assert.ok(n >= 1, path);
    split += n;
  }
  assert.ok(split > 0, 'some corpus trace was split');
});

test('random cut places (the chunk-split fuzz, for ranges): same trace', async () => {
  const r = rng(17);
  const ftrace = fixtures.filter((p) => p.includes('/ftrace/'));
  for (let round = 0; round < 40; round++) {
    const path = ftrace[Math.floor(r() * ftrace.length)] as string;
    const size = statSync(path).size;
    const jobs = 2 + Math.floor(r() * 7);
    await compareSplits(path, [{ jobs, rangeBytes: 1 + Math.floor(r() * (size / 2)) }]);
  }
});

const dir = mkdtempSync(join(tmpdir(), 'ktl-parallel-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Line starts of `text` (byte offsets; latin1 text, so characters are bytes) and the lines. */
function linesOf(text: string): { start: number; line: string }[] {
  const out: { start: number; line: string }[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    out.push({ start, line });
    start += line.length + 1;
  }
  return out;
}

/**
 * Cuts right where strace's state crosses lines: after an `<unfinished ...>` call (inside the
 * pair), at a `<... resumed>` line, after an execve or a clone (before the new task's events),
 * inside a -k stack, after a call cut by the program's output, at a summary table, at the
 * program's output. Each cut is asked one byte before the line (the loader moves it on to
 * the first line a range may start at).
 */
function straceCuts(text: string): number[][] {
  const kinds: RegExp[] = [/<unfinished \.\.\.>\s*$/, /<\.\.\. \w+ resumed>/, /execve\(/, /clone3?\(|fork\(/, /^ > /, /^\) = |^ <unfinished|^ => /, /^% time|^-{6}/, /^\d+ \d{2}:\d{2}:\d{2} |^\[pid/];
  const lines = linesOf(text);
  const cuts: number[][] = [];
  for (const kind of kinds) {
    const at = lines.filter((l, i) => i > 0 && (kind.test(l.line) || kind.test(lines[i - 1]?.line ?? ''))).map((l) => l.start - 1);
    if (at.length === 0) continue;
    // A few single cuts, and one read cut at many of them.
    for (let i = 0; i < Math.min(4, at.length); i++) cuts.push([at[Math.floor((i * at.length) / 4)] as number]);
    const many = at.filter((_, i) => i % Math.max(1, Math.floor(at.length / 12)) === 0).slice(0, 12);
    cuts.push(many);
  }
  return cuts;
}

test('strace fixtures and corpus: cuts inside unfinished/resumed pairs, after execve and clone, in -k stacks, split calls and summaries: same trace', async () => {
  const files = [...fixtures, ...corpus].filter((p) => p.includes('/strace/'));
  assert.ok(files.length >= 6, JSON.stringify(files));
  let split = 0;
  let reads = 0;
  for (const path of files) {
    const settings = straceCuts(readFileSync(path, 'latin1')).map((cutAt) => ({ jobs: 2, cutAt }));
    reads += settings.length;
    split += await compareSplits(path, settings);
  }
  // Some reads are redone in order (a call cut by the program's output whose rest lies past a cut); most are not.
  assert.ok(split >= reads * 0.8, `${split} of ${reads} reads split`);
});

/**
 * strace output with every shape whose meaning depends on lines before it: threads and forks
 * (clone with and without CLONE_THREAD, the child's first line before the clone returns), execve
 * in a child (renaming it) and across an unfinished/resumed pair, calls in flight with errno
 * results, signals and exits, calls cut by the program's output and the program's own output
 * while a call is in flight, strace's notes, -k stack frames, lines that are not strace's, the -c
 * summary table. `time`: -tt (passing midnight), -ttt, -r (deltas added up) or none.
 */
function straceTrace(events: number, time: 'tt' | 'ttt' | 'r' | 'none', pidColumn: 'bracket' | 'bare'): string {
  const out: string[] = [];
  let t = 86390 * 1e6; // µs: 23:59:50, so -tt times pass midnight
  const stamp = (): string => {
    // 20 to 150 ms a line: a few hundred lines pass midnight.
    const step = 20000 + ((out.length * 7919) % 130000);
    t += step;
    const us = (n: number): string => String(n % 1e6).padStart(6, '0');
    switch (time) {
      case 'tt': {
        const day = Math.floor(t / 1e6) % 86400;
        const hms = [Math.floor(day / 3600), Math.floor(day / 60) % 60, day % 60].map((n) => String(n).padStart(2, '0')).join(':');
        return `${hms}.${us(t)} `;
      }
      case 'ttt':
        return `${1700000000 + Math.floor(t / 1e6)}.${us(t)} `;
      case 'r':
        return `${String(Math.floor(step / 1e6)).padStart(6)}.${us(step)} `;
      case 'none':
        return '';
    }
  };
  const line = (pid: number, body: string): void => {
    out.push(`${pidColumn === 'bracket' ? `[pid ${String(pid).padStart(5)}] ` : `${pid}  `}${stamp()}${body}`);
  };
  const main = 4000;
  line(main, 'execve("/usr/bin/server", ["server"], 0x7ffd /* 3 vars */) = 0 <0.000100>');
  let next = main + 1;
  const threads = [main];
  // Threads in a futex wait (an unfinished call): they print nothing until it is resumed.
  const waiting = new Set<number>();
  for (let i = 0; i < events; i++) {
    const free = threads.filter((p) => !waiting.has(p));
    const pid = free[i % Math.max(1, free.length)] ?? main;
    switch (free.length === 0 ? 5 : i % 13) {
      case 0: {
        // A thread: its first line comes before the clone returns.
        const child = next++;
        line(pid, 'clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, exit_signal=0, stack=0x7f}, 88 <unfinished ...>');
        line(child, `set_robust_list(0x7f${child}, 24) = 0 <0.000004>`);
        line(pid, `<... clone3 resumed> => {parent_tid=[${child}]}, 88) = ${child} <0.000101>`);
        if (threads.length < 6) threads.push(child);
        break;
      }
      case 1: {
        // A process that runs another program, its execve cut by another task's line.
        const child = next++;
        line(pid, `clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = ${child} <0.000200>`);
        line(child, `execve("/usr/lib/helper-${i % 5}", ["helper"], 0x7ffd /* 3 vars */ <unfinished ...>`);
        line(pid, `wait4(${child},  <unfinished ...>`);
        line(child, '<... execve resumed>) = 0 <0.000300>');
        line(child, `getpid() = ${child} <0.000002>`);
        line(child, `write(2, "err ${i}\\n", 6) = 6 <0.000010>`);
        line(child, '+++ exited with 0 +++');
        line(pid, `<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = ${child} <0.000400>`);
        line(pid, `--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=${child}, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---`);
        break;
      }
      case 2:
        line(pid, 'futex(0x7f00, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>');
        // The main thread waits only briefly (its next line resumes it).
        if (pid === main) line(pid, '<... futex resumed>) = 0 <0.000020>');
        else waiting.add(pid);
        break;
      case 3:
        line(pid, `read(3</tmp/in>, "abc", 3) = 3 <0.000011>`);
        out.push(' > /usr/lib/libc.so.6(__read+0x14) [0x10e2d4]', ' > /usr/bin/server(main+0x20) [0x1234]');
        // Another thread's call went in flight just before: the program's output, not an issue (even past a cut before the read).
        if (i % 2 === 1) out.push(`program output while a futex waits ${i}`);
        break;
      case 4:
        // The program's output cuts a call's line, and more output comes while the call is in flight.
        line(pid, `write(1, "line ${i}\\n", ${7 + String(i).length}line ${i}`);
        if (i % 3 === 0) out.push(`program output ${i}`);
        // Another task's line before the rest: a cut there leaves the call open across it.
        if (i % 3 === 1 && threads.length > 1) line(threads.find((p) => p !== pid && !waiting.has(p)) ?? main, `getpid() = ${main} <0.000002>`);
        out.push(`) = ${7 + String(i).length} <0.000010>`);
        break;
      case 5:
        line(main, 'futex(0x7f00, FUTEX_WAKE_PRIVATE, 1) = 1 <0.000005>');
        for (const p of waiting) line(p, '<... futex resumed>) = -1 EAGAIN (Resource temporarily unavailable) <0.001000>');
        waiting.clear();
        break;
      case 6:
        line(pid, `openat(AT_FDCWD, "/nope/${i}", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000007>`);
        break;
      case 7:
        out.push(`not a strace line ${i}`);
        break;
      case 8:
        line(pid, `nanosleep({tv_sec=0, tv_nsec=1000}, NULL <unfinished ...>`);
        out.push(`program said ${i} while a call was in flight`);
        line(pid, '<... nanosleep resumed>NULL) = 0 <0.000050>');
        break;
      case 9:
        line(pid, `sendto(5<UDP:[1.2.3.4:5->6.7.8.9:10]>, "x", 1, 0, NULL, 0) = 1 <0.000020>`);
        break;
      case 10:
        out.push(`strace: Process ${next} attached`);
        line(next++, 'getppid() = 1 <0.000003>');
        break;
      case 11:
        out.push('');
        break;
      default:
        line(pid, `epoll_wait(4, [{events=EPOLLIN, data={u32=${i}, u64=${i}}}], 8, -1) = 1 <0.000030>`);
    }
  }
  out.push('% time     seconds  usecs/call     calls    errors syscall', '------ ----------- ----------- --------- --------- ----------------', ' 50.00    0.000100          10        10         2 read', '------ ----------- ----------- --------- --------- ----------------');
  line(main, '+++ exited with 0 +++');
  return `${out.join('\n')}\n`;
}

test('strace with threads, forks, execve, calls in flight, the program output, stacks and times of every kind, cut at every line: same trace', async () => {
  const cases = [
    ['tt', 'bracket', false],
    ['ttt', 'bare', true],
    ['r', 'bare', false],
    ['none', 'bracket', true],
  ] as const;
  for (const [time, pidColumn, crlf] of cases) {
    const text = straceTrace(120, time, pidColumn);
    const path = join(dir, `synthetic-${time}.strace`);
    writeFileSync(path, crlf ? text.replaceAll('\n', '\r\n') : text);
    const lines = linesOf(crlf ? text.replaceAll('\n', '\r\n') : text);
    // One cut at every line, and reads cut at many lines at once.
    const settings: Setting[] = lines.slice(2, -1).map((l) => ({ jobs: 2, cutAt: [l.start - 1] }));
    for (let step = 3; step <= 11; step += 4) settings.push({ jobs: 2, cutAt: lines.filter((_, i) => i > 1 && i % step === 0).map((l) => l.start - 1) });
    for (let jobs = 2; jobs <= 12; jobs += 5) settings.push({ jobs, rangeBytes: 1 });
    const split = await compareSplits(path, settings);
    // Reads redone in order: cuts between a call cut by the program's output and its rest.
    assert.ok(split >= settings.length * 0.8, `${time}: ${split} of ${settings.length} reads split`);
  }
});

/** An ftrace file with every shape a cut may land beside: header, stack frames, CRLF, blank lines, annotations, tgid, an overlong line. */
function edgeTrace(lines: number, crlf: boolean): string {
  const out = ['# tracer: nop', '#', '# entries-in-buffer/entries-written: 9/9   #P:4', '#'];
  for (let i = 0; i < lines; i++) {
    const ts = `${1000 + Math.floor(i / 7)}.${String(100000 + ((i * 7919) % 899999)).padStart(6, '0')}`;
    const cpu = String(i % 4).padStart(3, '0');
    switch (i % 11) {
      case 0:
        out.push(`          <idle>-0     [${cpu}] d.s2. ${ts}: kernel_stack: <stack trace>`, ' => __netif_receive_skb', ' => process_backlog', ' => net_rx_action');
        break;
      case 1:
        out.push('');
        break;
      case 2:
        out.push(`CPU:${i % 4} [LOST ${i} EVENTS]`);
        break;
      case 3:
        out.push(`##### CPU ${i % 4} buffer started ####`);
        break;
      case 4:
        out.push(`            ping-${200 + (i % 5)}   (  ${200 + (i % 5)}) [${cpu}] ..... ${ts}: net_dev_xmit: dev=veth${i % 3} skbaddr=0000000012${i} len=98 rc=0`);
        break;
      case 5:
        out.push(`not an event line ${i}`);
        break;
      case 6:
        out.push('# tracer: function');
        break;
      default:
        out.push(`   ksoftirqd/${i % 4}-${10 + (i % 4)}    [${cpu}] ..s1. ${ts}: napi_poll: napi poll on napi struct 0000${i} for device eth${i % 2} work ${i % 64} budget 64`);
    }
  }
  return out.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
}

test('cuts at every kind of line (stack frames, blank lines, CRLF, annotations, issues): same trace', async () => {
  for (const crlf of [false, true]) {
    const path = join(dir, `edge-${crlf ? 'crlf' : 'lf'}.trace`);
    writeFileSync(path, edgeTrace(400, crlf));
    const size = statSync(path).size;
    const settings = [];
    for (let jobs = 2; jobs <= 24; jobs++) settings.push({ jobs, rangeBytes: 1 });
    for (const parts of [2, 3, 5]) settings.push({ jobs: parts, rangeBytes: Math.ceil(size / parts) });
    const split = await compareSplits(path, settings);
    assert.equal(split, settings.length);
  }
});

test('trace-cmd report with several buffers and perf script callchains, cut everywhere: same trace', async () => {
  const report = ['cpus=2'];
  const perf: string[] = [];
  for (let i = 0; i < 300; i++) {
    const ts = `${2000 + Math.floor(i / 100)}.${String(100000 + i * 37).padStart(6, '0')}`;
    const buffer = ['', 'net: ', 'sched: ', 'a-much-longer-instance-name: '][(i * 7) % 4] as string;
    report.push(`${buffer}            ping-${400 + (i % 3)}   [00${i % 2}]  ${ts}: net_dev_xmit:         dev=veth${i % 5} skbaddr=0xffff${i} len=98 rc=0`);
    perf.push(`ping   ${500 + (i % 4)} [00${i % 2}]  ${ts}:      net:net_dev_xmit: dev=veth${i % 5} skbaddr=0xffff${i} len=98`);
    for (let f = 0; f < i % 4; f++) perf.push(`\tffffffff81e6${String(f).padStart(4, '0')} frame_${i % 9}_${f}+0x16e ([kernel.kallsyms])`);
    if (i % 4 !== 0 || i % 3 === 0) perf.push('');
  }
  for (const [name, text] of [
    ['buffers.report', report.join('\n')],
    ['callchains.perf', perf.join('\n')],
  ] as const) {
    const path = join(dir, name);
    writeFileSync(path, `${text}\n`);
    const settings = [];
    for (let jobs = 2; jobs <= 24; jobs++) settings.push({ jobs, rangeBytes: 1 });
    assert.equal(await compareSplits(path, settings), settings.length, name);
  }
});

test('a range may start with a blank line and the file may end without a newline', async () => {
  const path = join(dir, 'blank-start.trace');
  const body = edgeTrace(60, false).replace(/\n+$/, '');
  // Blank lines everywhere: some cut lands right before one.
  writeFileSync(path, body.replaceAll('\n', '\n\n'));
  const settings = [];
  for (let jobs = 2; jobs <= 16; jobs++) settings.push({ jobs, rangeBytes: 1 });
  assert.equal(await compareSplits(path, settings), settings.length);
});

/**
 * printf-style lines whose times depend on lines before: times of day passing midnight, lines
 * without a time, bpf_trace_printk lines from trace_pipe (seconds of uptime: not times of day),
 * banners and map dumps (issues). `other`: some lines carry uptime seconds too.
 */
function printfTrace(lines: number, other: boolean): string {
  const out = ['Attaching 2 probes...'];
  let us = 86395 * 1e6;
  for (let i = 0; i < lines; i++) {
    us += 30000 + ((i * 7919) % 90000);
    const day = Math.floor(us / 1e6) % 86400;
    const hms = [Math.floor(day / 3600), Math.floor(day / 60) % 60, day % 60].map((n) => String(n).padStart(2, '0')).join(':');
    const frac = String(us % 1e6).padStart(6, '0');
    switch (i % 9) {
      case 0:
        out.push(`probe:tcp_sendmsg len=${i} pid=${100 + (i % 4)} comm=curl`);
        break;
      case 1:
        out.push(other ? `          curl-${100 + (i % 4)}    [00${i % 2}] d..1. ${5000 + i}.${frac}: bpf_trace_printk: skb=0xffff${i} len=${i}` : `@bytes[curl]: ${i}`);
        break;
      case 2:
        out.push('');
        break;
      default:
        out.push(`${hms}.${frac} tracepoint:net:net_dev_xmit dev=veth${i % 3} len=${60 + i} cpu=${i % 2}`);
    }
  }
  return `${out.join('\n')}\n`;
}

test('printf lines (times of day passing midnight, lines without a time, a user pattern), cut at every line: same trace', async () => {
  for (const other of [false, true]) {
    const path = join(dir, `printf-${other}.txt`);
    const text = printfTrace(150, other);
    writeFileSync(path, text);
    const lines = linesOf(text);
    const settings: Setting[] = lines.slice(2, -1).map((l) => ({ jobs: 2, cutAt: [l.start - 1] }));
    for (let step = 3; step <= 11; step += 4) settings.push({ jobs: 2, cutAt: lines.filter((_, i) => i > 1 && i % step === 0).map((l) => l.start - 1) });
    const split = await compareSplits(path, settings);
    // With uptime seconds among the times of day, ranges that have both are read in order.
    if (!other) assert.equal(split, settings.length);
    else assert.ok(split >= 3, `${split} of ${settings.length}`);
  }
  // The fixture read with a user pattern (as .vscode/kernel-trace.json gives it): its payload decoding is kept.
  const columns = fixtures.find((p) => p.endsWith('bpftrace-net-columns.txt')) as string;
  const printf = { pattern: '^(?<ts>\\d+)\\s+(?<cpu>\\d+)\\s+(?<pid>\\d+)\\s+(?<comm>\\S+)\\s+(?<event>\\S+)\\s+(?<dev>\\S+)\\s+(?<len>\\d+)$', tsUnit: 'us' as const };
  const settings: Setting[] = linesOf(readFileSync(columns, 'latin1')).slice(3, -1).map((l) => ({ jobs: 2, cutAt: [l.start - 1] }));
  assert.equal(await compareSplits(columns, settings, { readerOptions: { printf } }), settings.length);
  const got = await loadTraceFile(columns, { jobs: 3, rangeBytes: 1, rangeRunner: 'same-thread', readerOptions: { printf } });
  assert.equal(eventJson(got, got.length - 1).fields?.dev, eventJson(await loadTraceFile(columns, { jobs: 1, readerOptions: { printf } }), got.length - 1).fields?.dev);
  assert.ok(eventJson(got, got.length - 1).fields?.dev);
});

test('a read that shows snapshots (the other ranges start after the first) gives the same trace; one stopped at its first snapshot returns it', async () => {
  const path = 'test/fixtures/ftrace/veth-ping.trace';
  let rangeStarts: readonly number[] = [];
  const opts: LoadOptions = { jobs: 4, rangeBytes: 1, chunkBytes: 4096, snapshotIntervalMs: 0, onPlan: (p) => (rangeStarts = 'starts' in p ? p.starts : []) };
  let snapshots = 0;
  const stopped = await loadTraceFile(path, { ...opts, rangeRunner: 'same-thread', onSnapshot: () => (++snapshots >= 1 ? 'stop' : undefined) });
  assert.ok(rangeStarts.length >= 2, 'the file is cut into ranges');
  assert.equal(snapshots, 1);
  assert.ok(stopped.partial !== null && stopped.length > 0 && stopped.bytesRead <= (rangeStarts[1] as number));
  const expected = fullDump((await load(path, { jobs: 1 })).trace as Trace);
  for (const rangeRunner of ['same-thread', 'worker'] as const) {
    snapshots = 0;
    const whole = await loadTraceFile(path, { ...opts, rangeRunner, onSnapshot: () => void snapshots++ });
    assert.ok(snapshots > 1, `${rangeRunner}: ${snapshots} snapshots`);
    assert.deepEqual(fullDump(whole), expected, rangeRunner);
  }
});

test('function_graph is read in order; strace that no fix-up makes exact is read again in order; both say why', async () => {
  const graph = fixtures.find((p) => p.endsWith('funcgraph-args-retval.trace')) as string;
  const { plan } = await load(graph, { jobs: 4, rangeBytes: 1, rangeRunner: 'same-thread' });
  assert.deepEqual(plan, { inOrder: 'function_graph: calls nest per CPU in file order' });
  // A call cut by the program's output, another task's line, then the call's rest: cut at that line.
  const lines = [
    '[pid 100] 10:00:00.000001 execve("/bin/a", ["a"], 0x7f /* 1 var */) = 0 <0.000010>',
    '[pid 100] 10:00:00.000002 write(1, "hi\\n", 3hi',
    '[pid 101] 10:00:00.000003 getpid() = 101 <0.000001>',
    ') = 3 <0.000010>',
    '[pid 100] 10:00:00.000004 exit_group(0) = ?',
  ];
  const path = join(dir, 'split-across.strace');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const cut = lines.slice(0, 2).join('\n').length;
  const got = await load(path, { jobs: 2, cutAt: [cut], rangeRunner: 'same-thread' });
  assert.deepEqual(got.plan, { starts: [0, cut + 1] });
  assert.equal(got.redone, "a call cut by the traced program's output (line 2) gets its result past a cut");
  assert.deepEqual(fullDump(got.trace as Trace), fullDump((await load(path, { jobs: 1 })).trace as Trace));
});

test('function_graph lines past the head: the file is read again in order', async () => {
  const path = join(dir, 'late-graph.trace');
  const graphLines = [' 0)               |  net_rx_action() {', ' 0)   0.250 us    |    __napi_poll();', ' 0)   1.000 us    |  }'];
  // Past the 64 KiB head, so the head alone does not show it.
  writeFileSync(path, `${edgeTrace(1500, false)}${graphLines.join('\n')}\n`);
  const plans: ReadPlan[] = [];
  const got = await loadTraceFile(path, { jobs: 3, rangeBytes: 1, rangeRunner: 'same-thread', onPlan: (p) => plans.push(p) });
  assert.ok('starts' in (plans[0] as ReadPlan));
  assert.match(JSON.stringify(plans[1]), /function_graph line at byte offset/);
  assert.deepEqual(fullDump(got), fullDump(await loadTraceFile(path, { jobs: 1 })));
});

test('worker threads: the same trace, column buffers moved from the workers', async () => {
  const picks = fixtures.filter((p) => /veth-ping\.trace$|lost-events-pipe|overrun-buffer-started/.test(p));
  assert.equal(picks.length, 3);
  for (const path of picks) {
    const expected = fullDump((await load(path, { jobs: 1 })).trace as Trace);
    const got = await load(path, { jobs: 3, rangeBytes: 1 });
    assert.ok(got.plan && 'starts' in got.plan && got.plan.starts.length === 3, JSON.stringify(got.plan));
    assert.deepEqual(fullDump(got.trace as Trace), expected, path);
  }
});

test('worker threads, strace and printf: the boundary states move from the workers, the same trace', async () => {
  const picks = fixtures.filter((p) => /ping-f-tt-T-y\.strace$|ospf-hello-raw\.strace$|bpftrace-net-kv\.txt$/.test(p));
  assert.equal(picks.length, 3);
  for (const path of picks) {
    const want = (await load(path, { jobs: 1 })).trace as Trace;
    const got = await load(path, { jobs: 3, rangeBytes: 1 });
    assert.ok(got.plan && 'starts' in got.plan && got.plan.starts.length === 3 && got.redone === null, JSON.stringify([got.plan, got.redone]));
    const trace = got.trace as Trace;
    assert.deepEqual(fullDump(trace), fullDump(want), path);
    // Decoded as reading in order decodes (strace joins a resumed call's halves from the file's bytes).
    for (let i = 0; i < want.length; i++) assert.deepEqual(eventJson(trace, i), eventJson(want, i), `${path} event ${i}`);
  }
});

test('a worker that fails becomes an issue naming its byte range, and reading stops there', async () => {
  const path = join(dir, 'vanishing.trace');
  const moved = join(dir, 'vanishing-moved.trace');
  writeFileSync(path, edgeTrace(300, false));
  let starts: readonly number[] = [];
  // The calling thread has the file open; the workers open it by name and find a directory there.
  const got = await loadTraceFile(path, {
    jobs: 2,
    rangeBytes: 1,
    onPlan: (p) => {
      if (!('starts' in p)) return;
      starts = p.starts;
      renameSync(path, moved);
      mkdirSync(path);
    },
  });
  rmSync(path, { recursive: true });
  renameSync(moved, path);
  const full = await loadTraceFile(path, { jobs: 1 });
  const cut = starts[1] as number;
  const last = got.issues.at(-1);
  assert.ok(last);
  assert.match(last.message, new RegExp(`^reading bytes ${cut}\\.\\.${statSync(path).size} in a worker thread failed \\(.*\\); the events from there on are not read$`));
  assert.equal(last.offset, cut);
  assert.equal(got.bytesRead, cut);
  // Everything before the cut is there, as reading in order has it.
  const before = Array.from({ length: full.length }, (_, i) => i).filter((i) => full.record(i).offset < cut).length;
  assert.equal(got.length, before);
  assert.equal(got.line(got.length - 1), full.line(before - 1));
  // The issue's line is the line the failed range starts at.
  const text = readFileSync(path, 'latin1');
  assert.equal(last.line, text.slice(0, cut).split('\n').length);
  got.close();
  full.close();
});

test('BlockColumn.takeBlocks: blocks taken over at any fill of the last block hold the values in order', () => {
  const r = rng(5);
  for (let round = 0; round < 60; round++) {
    const col = uint32Column();
    const expected: number[] = [];
    for (let part = 0; part < 3; part++) {
      const length = [0, 1, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 3 * BLOCK_SIZE + 17][Math.floor(r() * 6)] as number;
      const blocks: Uint32Array[] = [];
      for (let i = 0; i < length; i++) {
        if (i % BLOCK_SIZE === 0) blocks.push(new Uint32Array(BLOCK_SIZE).fill(0xdead));
        const v = Math.floor(r() * 2 ** 32);
        (blocks.at(-1) as Uint32Array)[i % BLOCK_SIZE] = v;
        expected.push(v);
      }
      col.takeBlocks(blocks, length);
      assert.equal(col.length, expected.length);
    }
    for (let i = 0; i < expected.length; i++) if (col.get(i) !== expected[i]) assert.fail(`round ${round}: value ${i} is ${col.get(i)}, not ${expected[i]}`);
    assert.ok(col.byteLength() <= (Math.ceil(expected.length / BLOCK_SIZE) + 1) * BLOCK_SIZE * 4, 'no block beyond the values and one spare');
  }
});

/** Every column of every event, compared without building a dump (traces of many blocks). */
function assertSameColumns(got: Trace, want: Trace): void {
  assert.equal(got.length, want.length);
  assert.equal(got.strings.size, want.strings.size);
  for (let id = 0; id < want.strings.size; id++) assert.equal(got.strings.get(id), want.strings.get(id));
  for (let i = 0; i < want.length; i++) {
    const a = got.record(i);
    const b = want.record(i);
    if (
      got.tsNs(i) !== want.tsNs(i) ||
      got.cpu(i) !== want.cpu(i) ||
      got.pid(i) !== want.pid(i) ||
      got.tgid(i) !== want.tgid(i) ||
      got.commId(i) !== want.commId(i) ||
      got.eventId(i) !== want.eventId(i) ||
      got.flags(i) !== want.flags(i) ||
      got.line(i) !== want.line(i) ||
      a.offset !== b.offset ||
      a.length !== b.length ||
      a.payloadStart !== b.payloadStart
    ) {
      assert.fail(`event ${i} differs: ${JSON.stringify([got.line(i), a])} vs ${JSON.stringify([want.line(i), b])}`);
    }
  }
  assert.deepEqual([got.meta, got.originNs, got.bytesRead, got.issueCount, got.issues, got.lost, got.bufferStarts], [want.meta, want.originNs, want.bytesRead, want.issueCount, want.issues, want.lost, want.bufferStarts]);
}

/** A trace big enough for several column blocks (65,536 events each). */
function bigTrace(events: number): string {
  const out = ['# tracer: nop', '#'];
  for (let i = 0; i < events; i++) out.push(`          <idle>-0     [00${i % 4}] ..s1. ${1000 + Math.floor(i / 1e6)}.${String(i % 1e6).padStart(6, '0')}: napi_poll: work ${i % 64} budget 64`);
  return `${out.join('\n')}\n`;
}

test('ranges of many column blocks (worker threads): the same columns as reading in order', async () => {
  const path = join(dir, 'big.trace');
  writeFileSync(path, bigTrace(400_000));
  const want = await loadTraceFile(path, { jobs: 1 });
  for (const jobs of [2, 3]) {
    const got = await loadTraceFile(path, { jobs, rangeBytes: 1 });
    assertSameColumns(got, want);
    got.close();
  }
  want.close();
});

test('cancelling stops every range; what is kept is what reading in order had read up to a point', async (t) => {
  const path = join(dir, 'big.trace');
  const full = await loadTraceFile(path, { jobs: 1 });
  for (const rangeRunner of ['same-thread', 'worker'] as const) {
    await t.test(rangeRunner, async () => {
      const ac = new AbortController();
      let calls = 0;
      const got = await loadTraceFile(path, { jobs: 3, rangeBytes: 1, rangeRunner, signal: ac.signal, onProgress: () => ++calls === 2 && ac.abort() });
      assert.ok(got.length < full.length, `${got.length} of ${full.length}`);
      // (The line the stop cut in two is flushed as the last line, as reading in order does.)
      assert.ok(
        got.issues.slice(-2).some((i) => /reading cancelled at byte offset \d+ of \d+; the events before it are kept$/.test(i.message)),
        JSON.stringify(got.issues.slice(-2)),
      );
      for (let i = 0; i < got.length; i += 997) assert.equal(got.record(i).offset, full.record(i).offset);
      got.close();
    });
  }
  full.close();
});

test('the memory budget holds across the threads: every range stops, the kept events are a prefix', async () => {
  const path = join(dir, 'big.trace');
  const full = await loadTraceFile(path, { jobs: 1 });
  for (const rangeRunner of ['same-thread', 'worker'] as const) {
    // Three threads' first blocks alone (~3 x 3.3 MB) are over 8 MB: reading in ranges must stop.
    const got = await loadTraceFile(path, { jobs: 3, rangeBytes: 1, rangeRunner, maxMemoryBytes: 8 << 20 });
    assert.ok(got.length < full.length, `${rangeRunner}: ${got.length} of ${full.length}`);
    assert.ok(got.issues.some((i) => /memory budget 8 MiB reached at byte offset \d+/.test(i.message)), JSON.stringify(got.issues.slice(-2)));
    for (let i = 0; i < got.length; i += 997) assert.equal(got.line(i), full.line(i));
    got.close();
  }
  full.close();
});

test('ktl --jobs: a number of threads, the same output; anything else is a usage error', () => {
  const file = fixtures.find((p) => p.endsWith('veth-ping.trace')) as string;
  const one = runKtlStatus(['stats', file, '--json', '--jobs', '1']);
  const two = runKtlStatus(['stats', file, '--json', '--jobs', '2']);
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.stdout, one.stdout);
  const bad = runKtlStatus(['stats', file, '--jobs', 'many']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--jobs expects a number of threads \(1 reads in order, 0 one per core\), got "many"/);
});
