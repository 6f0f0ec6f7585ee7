// Measures, in one process, how long the reader takes to parse FILE and how long lifecycle
// analysis with MODEL takes on the parsed trace, RUNS times; prints one JSON object.
// Run by bench/lifecycle.bench.mjs, bundled first: node bench/data/lifecycle-measure.cjs FILE MODEL RUNS
import { loadTraceFile } from '../src/core/io/file-source';
import { analyzeLifecycles } from '../src/core/analysis/lifecycle/analyze';
import { builtinModel } from '../src/core/analysis/lifecycle/models/index';

async function main(): Promise<void> {
  const [file, modelName, runsArg] = process.argv.slice(2);
  if (!file || !modelName) throw new Error('usage: lifecycle-measure.ts FILE MODEL [RUNS]');
  const model = builtinModel(modelName);
  if (!model) throw new Error(`no built-in model ${modelName}`);
  const runs = Number(runsArg ?? 3);
  // Wall-clock and CPU seconds (user + system of this process): on a shared, loaded machine the
  // CPU time is the steadier measure of what each phase costs.
  const parseSec: number[] = [];
  const analysisSec: number[] = [];
  const parseCpuSec: number[] = [];
  const analysisCpuSec: number[] = [];
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  let summary: Record<string, unknown> = {};
  for (let r = 0; r < runs; r++) {
    const c0 = cpu();
    const t0 = process.hrtime.bigint();
    const trace = await loadTraceFile(file);
    const t1 = process.hrtime.bigint();
    const c1 = cpu();
    const a = analyzeLifecycles(trace, model);
    const t2 = process.hrtime.bigint();
    const c2 = cpu();
    parseSec.push(Number(t1 - t0) / 1e9);
    analysisSec.push(Number(t2 - t1) / 1e9);
    parseCpuSec.push(c1 - c0);
    analysisCpuSec.push(c2 - c1);
    const kinds: Record<string, number> = {};
    for (const f of a.findings) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
    summary = { events: trace.length, steps: a.steps.length, objects: a.objects.length, findings: kinds, firstFinding: a.findings[0]?.message ?? null };
    trace.close();
  }
  process.stdout.write(`${JSON.stringify({ file, model: modelName, runs, parseSec, analysisSec, parseCpuSec, analysisCpuSec, ...summary, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
