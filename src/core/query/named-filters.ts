/**
 * The named filters of `.vscode/kernel-trace.json` (`filters: [{name, expr, description?}]`),
 * checked against the schema and parsed, so a broken expression is reported with its JSON path
 * and column when the list is read, not when the user picks it.
 */
import { ModelError, readKernelTraceConfig } from '../config/kernel-trace-json';
import type { SchemaError } from '../config/schema';
import { parseExpr, QueryError } from './parse';

export interface NamedFilter {
  readonly name: string;
  readonly expr: string;
  readonly description?: string;
}

/** The file's named filters; throws ModelError listing every problem (schema or expression). */
export function parseNamedFilters(text: string, source = 'kernel-trace.json'): NamedFilter[] {
  const filters = readKernelTraceConfig(text, source).filters ?? [];
  const errors: SchemaError[] = [];
  filters.forEach((f, i) => {
    try {
      parseExpr(f.expr);
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      errors.push({ path: `filters[${i}].expr`, message: err.message });
    }
  });
  if (errors.length > 0) throw new ModelError(errors, source);
  return filters.map((f) => ({ name: f.name, expr: f.expr, ...(f.description !== undefined ? { description: f.description } : {}) }));
}
