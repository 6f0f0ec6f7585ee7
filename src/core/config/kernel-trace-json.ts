/**
 * Reading `.vscode/kernel-trace.json`: its text parsed and checked against the schema
 * (schema.ts), every problem reported at once with its JSON path (ModelError). What is in it is
 * compiled where it is used: the lifecycle models by analysis/lifecycle/model.ts, the printf
 * options by workspace-config.ts, the named filters by query/named-filters.ts.
 */
import type { PrintfOptions } from '../formats/printf/options';
import type { LifecycleModelJson } from '../analysis/lifecycle/model';
import { validateKernelTraceConfig, type SchemaError } from './schema';

export interface KernelTraceConfigJson {
  readonly $schema?: string;
  readonly lifecycles?: readonly LifecycleModelJson[];
  /** The printf reader's options (read by workspace-config.ts). */
  readonly printf?: PrintfOptions;
  /** Named filter expressions (read by query/named-filters.ts). */
  readonly filters?: readonly { readonly name: string; readonly expr: string; readonly description?: string }[];
}

/** A model, or a config file, that failed validation: every problem with its JSON path. */
export class ModelError extends Error {
  constructor(
    readonly errors: readonly SchemaError[],
    readonly source = 'model',
  ) {
    super(`${source}: ${errors.length} problem${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
    this.name = 'ModelError';
  }
}

/** Parses `.vscode/kernel-trace.json` text and checks it against the schema; throws ModelError listing every problem. */
export function readKernelTraceConfig(text: string, source = 'kernel-trace.json'): KernelTraceConfigJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ModelError([{ path: '(top level)', message: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` }], source);
  }
  const errors = validateKernelTraceConfig(value);
  if (errors.length > 0) throw new ModelError(errors, source);
  return value as KernelTraceConfigJson;
}
