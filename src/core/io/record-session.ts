/**
 * One recording, start to cleanup: its own ftrace instance (`instances/ktl-…`), the events,
 * filters, triggers and buffer size of the plan (core/record/plan.ts), the probes it adds with
 * `perf probe`, an optional command, progress from per_cpu stats, the instance's `trace` text
 * saved with a `# ktl: stopped by …` line, and — however it ends (done, error, abort) — every
 * undo step, the instance removed and the probes deleted. Nothing outside the instance is
 * written: not the global buffer, tracing_on, current_tracer, set_event or other instances.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Tracefs } from './tracefs';
import { INSTANCE_PREFIX, RecordUnavailableError, instanceName, parseAvailableEvents, planRecording, type RecordPlan, type RecordRequest } from '../record/plan';
import { addedProbeEvents, perfProbeAddArgv, perfProbeDeleteArgv } from '../record/commands';
import { parseCpuStats, summarizeProgress, type RecordProgress } from '../record/progress';
import { stoppedByLine, type StopReason } from '../record/trace-file';

export interface RecordOptions extends RecordRequest {
  /** `perf probe` definitions to add first (their events are recorded). */
  readonly probes: readonly string[];
  /** Stop after this many seconds. */
  readonly durationS?: number;
  /** Run this and stop when it exits (argv; the first word is looked up on PATH). */
  readonly command?: readonly string[];
  /** Where the command's output goes: the CLI passes it through, the extension drops it. */
  readonly commandStdio?: 'inherit' | 'ignore';
  readonly out: string;
  /** Stop by hand. */
  readonly signal?: AbortSignal;
  readonly tracefs?: Tracefs;
  /** The perf binary (PATH lookup by default). */
  readonly perf?: string;
}

export interface RecordHooks {
  /** What was set up, one line per step, before tracing starts. */
  readonly onSetup?: (lines: readonly string[]) => void;
  /** About once a second. */
  readonly onProgress?: (p: RecordProgress) => void;
}

export interface RecordResult {
  readonly out: string;
  readonly instance: string;
  readonly stoppedBy: StopReason;
  readonly progress: RecordProgress;
  /** Cleanup steps that failed (the trace was still written). */
  readonly cleanupProblems: readonly string[];
}

/** How often the instance's tracing_on is read: the EBADF window after a trigger, ms. */
const POLL_MS = 50;
const PROGRESS_MS = 1000;

function run(file: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      const c = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1;
      resolve({ code: c, stdout, stderr: err !== null && c === -1 ? `${stderr}${err.message}` : stderr });
    });
  });
}

export async function record(opts: RecordOptions, hooks: RecordHooks = {}): Promise<RecordResult> {
  const fs = opts.tracefs ?? (await Tracefs.open());
  const perf = opts.perf ?? 'perf';
  // A second recording while one runs is refused: a ktl instance exists while a recording
  // runs (or after one was killed -9, which the message says how to clear).
  const busy = (await fs.instances()).filter((n) => n.startsWith(INSTANCE_PREFIX));
  if (busy.length > 0) throw new RecordUnavailableError(`a recording is already running (${fs.path(`instances/${busy[0]}`)} exists; if no ktl runs, rmdir it)`);

  const addedProbes: string[] = [];
  const problems: string[] = [];
  let plan: RecordPlan | null = null;
  let child: ChildProcess | null = null;
  let made = false;
  try {
    for (const spec of opts.probes) {
      const r = await run(perf, perfProbeAddArgv(spec));
      const added = addedProbeEvents(`${r.stdout}\n${r.stderr}`);
      addedProbes.push(...added);
      if (r.code !== 0) throw new RecordUnavailableError(`perf probe -a '${spec}' failed: ${lastLine(r.stderr) || `exit ${r.code}`}`);
      if (added.length === 0) throw new RecordUnavailableError(`perf probe -a '${spec}' did not say which event it added`);
    }
    const available = parseAvailableEvents(await fs.read('available_events'));
    plan = planRecording({ ...opts, events: [...opts.events, ...addedProbes] }, available, instanceName(randomBytes(4)));

    await fs.mkdir(plan.dir);
    made = true;
    const others = (await fs.instances()).filter((n) => n.startsWith(INSTANCE_PREFIX) && n !== plan?.instance);
    if (others.length > 0) throw new RecordUnavailableError(`a recording is already running (${fs.path(`instances/${others[0]}`)} exists)`);

    const logs = [plan.dir, '.'];
    for (const s of plan.setup) await fs.write(s.path, s.value, s.kind === 'filter' || s.kind === 'trigger' ? logs : []);
    hooks.onSetup?.([`instance ${fs.path(plan.dir)}`, ...addedProbes.map((p) => `probe ${p} (perf probe)`), ...plan.setup.filter((s) => s.kind !== 'tracing_on').map((s) => s.what)]);

    const cpus = await fs.cpus(plan.dir);
    const bufferKb = opts.bufferKb ?? Number((await fs.read(`${plan.dir}/buffer_size_kb`)).trim().split(/\s/)[0]);
    const started = Date.now();
    const progressNow = async (): Promise<RecordProgress> => {
      const stats = await Promise.all(cpus.map(async (c) => parseCpuStats(c, await fs.read(`${plan?.dir}/per_cpu/cpu${c}/stats`))));
      return summarizeProgress(stats, bufferKb, Date.now() - started);
    };

    let commandExit: { code: number | null; signal: string | null } | null = null;
    let commandError: Error | null = null;
    if (opts.command && opts.command.length > 0) {
      const [file, ...args] = opts.command as [string, ...string[]];
      child = spawn(file, args, { stdio: opts.commandStdio ?? 'ignore' });
      child.on('exit', (c, s) => (commandExit = { code: c, signal: s }));
      child.on('error', (e) => (commandError = e));
    }

    let stoppedBy: StopReason | null = null;
    let lastProgress = 0;
    while (stoppedBy === null) {
      if ((await fs.read(plan.tracingOnPath)).trim() === '0') {
        // The trigger turned the instance off: stop copying markers at once, or the
        // application's next trace_marker write fails with EBADF.
        if (plan.copyMarkerPath) await fs.write(plan.copyMarkerPath, '0');
        stoppedBy = { kind: 'trigger', trigger: plan.stopTrigger ?? 'tracing_on was set to 0 from outside' };
        break;
      }
      if (commandError !== null) throw new RecordUnavailableError(`cannot run ${opts.command?.[0]}: ${(commandError as Error).message}`);
      const exit = commandExit as { code: number | null; signal: string | null } | null;
      if (exit !== null) stoppedBy = { kind: 'command', exitCode: exit.code, signal: exit.signal };
      else if (opts.durationS !== undefined && Date.now() - started >= opts.durationS * 1000) stoppedBy = { kind: 'duration', seconds: opts.durationS };
      else if (opts.signal?.aborted) stoppedBy = { kind: 'hand' };
      if (stoppedBy !== null) break;
      if (hooks.onProgress && Date.now() - lastProgress >= PROGRESS_MS) {
        lastProgress = Date.now();
        hooks.onProgress(await progressNow());
      }
      await sleep(POLL_MS, opts.signal);
    }
    if (plan.copyMarkerPath) await fs.write(plan.copyMarkerPath, '0');
    await fs.write(plan.tracingOnPath, '0');
    const progress = await progressNow();
    hooks.onProgress?.(progress);

    const out = createWriteStream(opts.out, { flags: 'w' });
    out.write(stoppedByLine(stoppedBy));
    await pipeline(createReadStream(fs.path(`${plan.dir}/trace`)), out);
    return { out: opts.out, instance: plan.instance, stoppedBy, progress, cleanupProblems: problems };
  } finally {
    if (child !== null && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    if (plan !== null && made) {
      for (const s of plan.undo) {
        try {
          await fs.write(s.path, s.value);
        } catch (err) {
          problems.push(`${s.what}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      try {
        await fs.rmdir(plan.dir);
      } catch (err) {
        problems.push(`rmdir ${fs.path(plan.dir)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const ev of addedProbes) {
      const r = await run(perf, perfProbeDeleteArgv(ev));
      if (r.code !== 0) problems.push(`perf probe -d ${ev}: ${lastLine(r.stderr) || `exit ${r.code}`}`);
    }
  }
}

function lastLine(s: string): string {
  return s.trim().split('\n').pop()?.trim() ?? '';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

