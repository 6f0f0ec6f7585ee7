/**
 * `--where EXPR` of `ktl events` and `ktl packets`: the filter expression of core/query. Its
 * syntax is checked before the file is read (a typo costs no 10 M-event load); names are
 * resolved against the trace once it is loaded. Errors are usage errors with the column.
 */
import { compileQuery } from '../core/query/compile';
import { parseExpr, QueryError } from '../core/query/parse';
import type { Trace } from '../core/trace/trace';
import { UsageError, type ParsedArgs } from './commands';

export const WHERE_OPTION = { where: { type: 'string' } } as const;
export const WHERE_USAGE = '[--where EXPR]';

/** Checks --where now; the returned function compiles it for a loaded trace (null: no --where). */
export function whereFilter(args: ParsedArgs): (trace: Trace) => ((i: number) => boolean) | null {
  const text = args.values.where;
  if (typeof text !== 'string') return () => null;
  const fail = (err: unknown): never => {
    if (err instanceof QueryError) throw new UsageError(`--where: ${err.message}`);
    throw err;
  };
  try {
    parseExpr(text);
  } catch (err) {
    fail(err);
  }
  return (trace) => {
    try {
      return compileQuery(trace, text);
    } catch (err) {
      return fail(err);
    }
  };
}
