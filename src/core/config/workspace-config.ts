/**
 * The reader options in `.vscode/kernel-trace.json` (its `printf` section), checked against the
 * same schema as the lifecycle models (schema.ts), so a mistake anywhere in the file is
 * reported once, with its JSON path, wherever the file is read (editor or `ktl`).
 */
import type { ReaderOptions } from '../formats/reader-options';
import { compilePattern } from '../formats/printf/options';
import { ModelError, readKernelTraceConfig } from './kernel-trace-json';

/** Parses the file's text; throws ModelError listing every problem. */
export function parseReaderOptions(text: string, source = 'kernel-trace.json'): ReaderOptions {
  const printf = readKernelTraceConfig(text, source).printf;
  if (printf === undefined) return {};
  const re = compilePattern(printf);
  if (typeof re === 'string') throw new ModelError([{ path: 'printf.pattern', message: re }], source);
  return { printf };
}
