/**
 * `--where EXPR` of `ktl events` and `ktl packets`: the filter expression of core/query, the
 * EventFilter's `expr` (the editor's table and timeline filter the same way). Its syntax is
 * checked before the file is read (a typo costs no 10 M-event load); names are resolved against
 * the trace once it is loaded. Errors are usage errors with the column.
 */
import { parseExpr, QueryError } from '../core/query/parse';
import { UsageError, type ParsedArgs } from './commands';

export const WHERE_OPTION = { where: { type: 'string' } } as const;
export const WHERE_USAGE = '[--where EXPR]';

/** The --where text after a syntax check; undefined without --where. */
export function whereExpr(args: ParsedArgs): string | undefined {
  const text = args.values.where;
  if (typeof text !== 'string') return undefined;
  whereErrors(() => parseExpr(text));
  return text;
}

/** Runs `f`, turning a QueryError (a bad --where) into a usage error. */
export function whereErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof QueryError) throw new UsageError(`--where: ${err.message}`);
    throw err;
  }
}
