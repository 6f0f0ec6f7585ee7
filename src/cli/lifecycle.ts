/**
 * `ktl lifecycle TRACE --model af-xdp|skb|PATH [--name NAME]`: object lifecycles, transition
 * counts and findings (core/analysis/lifecycle/analyze.ts). `--model` is a built-in model name, a
 * `kernel-trace.json` file (schemas/kernel-trace.schema.json; `--name` picks one of its models
 * when it has several), or the name of a model in ./.vscode/kernel-trace.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { WORKSPACE_CONFIG, announceWorkspaceConfig, loadTrace } from './load';
import { analyzeLifecycles } from '../core/analysis/lifecycle/analyze';
import { lifecycleJson, type LifecycleJson } from '../core/analysis/lifecycle/json';
import { parseKernelTraceConfig, type LifecycleModel } from '../core/analysis/lifecycle/model';
import { ModelError } from '../core/config/kernel-trace-json';
import { builtinModel, builtinModelNames } from '../core/analysis/lifecycle/models/index';
import { nonNegative, oneFile, UsageError, type Command } from './commands';
import type { Output } from './output';


export const lifecycleCommand: Command = {
  name: 'lifecycle',
  usage: 'lifecycle FILE --model af-xdp|skb|PATH [--name NAME] [--json] [--key KEY]... [--summary] [--flight N]',
  options: {
    model: { type: 'string' },
    name: { type: 'string' },
    json: { type: 'boolean' },
    key: { type: 'string', multiple: true },
    summary: { type: 'boolean' },
    flight: { type: 'string' },
  },
  async run(args, out) {
    const v = args.values;
    const file = oneFile(args, 'lifecycle');
    if (typeof v.model !== 'string') throw new UsageError(`ktl lifecycle needs --model (${builtinModelNames().join(', ')}, or a kernel-trace.json file)`);
    const model = resolveModel(v.model, typeof v.name === 'string' ? v.name : undefined);
    const flight = typeof v.flight === 'string' ? nonNegative('--flight', v.flight) : undefined;
    const trace = await loadTrace(file, args);
    try {
      const a = analyzeLifecycles(trace, model);
      const j = lifecycleJson(trace, a, { history: v.summary !== true, keys: (v.key as string[] | undefined) ?? [], ...(flight !== undefined ? { flight } : {}) });
      if (v.json === true) out.line(JSON.stringify(j));
      else printText(j, out);
    } finally {
      trace.close();
    }
  },
};

/** A built-in name, a config file path, or a model name in ./.vscode/kernel-trace.json. */
export function resolveModel(spec: string, name: string | undefined): LifecycleModel {
  const builtin = name === undefined ? builtinModel(spec) : undefined;
  if (builtin) return builtin;
  let path = spec;
  let wanted = name;
  if (!existsSync(spec)) {
    if (name === undefined && existsSync(WORKSPACE_CONFIG)) {
      path = WORKSPACE_CONFIG;
      wanted = spec;
      announceWorkspaceConfig(`lifecycle model "${spec}"`);
    } else {
      throw new UsageError(`--model ${spec}: not a built-in model (${builtinModelNames().join(', ')}) and no such file`);
    }
  }
  let models: LifecycleModel[];
  try {
    models = parseKernelTraceConfig(readFileSync(path, 'utf8'), path);
  } catch (err) {
    if (err instanceof ModelError) throw new UsageError(err.message);
    throw err;
  }
  if (models.length === 0) throw new UsageError(`${path} defines no lifecycle models ("lifecycles" is absent)`);
  if (wanted !== undefined) {
    const m = models.find((x) => x.name === wanted);
    if (!m) throw new UsageError(`${path} has no model named "${wanted}"; it has ${models.map((x) => x.name).join(', ')}`);
    return m;
  }
  if (models.length > 1) throw new UsageError(`${path} has ${models.length} models (${models.map((x) => x.name).join(', ')}); pick one with --name`);
  return models[0] as LifecycleModel;
}

function printText(j: LifecycleJson, out: Output): void {
  const sec = (ns: number): string => (ns / 1e9).toFixed(6);
  out.line(`model ${j.model}: ${j.objectCount} objects, ${j.stepCount} steps, ${j.findings.length} finding${j.findings.length === 1 ? '' : 's'}`);
  if (j.findings.length > 0) {
    out.line('findings:');
    for (const f of j.findings) out.line(`  ${f.kind.padEnd(18)} line ${String(f.line).padEnd(6)} cpu ${String(f.cpu).padEnd(3)} ${f.message}`);
  }
  out.line('transitions:');
  for (const t of j.transitions) out.line(`  ${(t.from ?? '(start)').padStart(10)} -> ${t.to.padEnd(10)} ${String(t.count).padStart(8)}${t.legal === false ? '  ILLEGAL' : ''}`);
  out.line('objects:');
  for (const o of j.objects) {
    const head = `  ${o.key}${o.generation > 0 ? ` #${o.generation}` : ''}  ${o.state}  cpus ${o.cpus.join(',')}  ${sec(o.firstTsNs)}..${sec(o.lastTsNs)}${o.attrs ? `  ${Object.entries(o.attrs).map(([k, val]) => `${k}=${val}`).join(' ')}` : ''}`;
    out.line(head);
    if (o.history) out.line(`      ${o.history.map((s) => `${s.kind === 'witness' ? '(' : ''}${s.state}@cpu${s.cpu}:L${s.line}${s.kind === 'witness' ? ')' : ''}`).join(' -> ')}`);
  }
}
