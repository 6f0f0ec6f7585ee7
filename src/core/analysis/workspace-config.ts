/**
 * The reader options in `.vscode/kernel-trace.json` (its `printf` section), checked against the
 * same schema as the lifecycle models (lifecycle-schema.ts), so a mistake anywhere in the file is
 * reported once, with its JSON path, wherever the file is read (editor or `ktl`).
 */
import type { ReaderOptions } from '../formats/reader-options';
import type { PrintfOptions } from '../formats/printf-options';
import { compilePattern } from '../formats/printf-options';
import { ModelError } from './lifecycle-model';
import { validateKernelTraceConfig } from './lifecycle-schema';

/** Parses the file's text; throws ModelError listing every problem. */
export function parseReaderOptions(text: string, source = 'kernel-trace.json'): ReaderOptions {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ModelError([{ path: '(top level)', message: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` }], source);
  }
  const errors = validateKernelTraceConfig(value);
  if (errors.length > 0) throw new ModelError(errors, source);
  const printf = (value as { printf?: PrintfOptions }).printf;
  if (printf === undefined) return {};
  const re = compilePattern(printf);
  if (typeof re === 'string') throw new ModelError([{ path: 'printf.pattern', message: re }], source);
  return { printf };
}
