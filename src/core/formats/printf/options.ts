/**
 * Options of the printf-style reader (printf.ts), from the workspace's
 * `.vscode/kernel-trace.json`, key `"printf"`, e.g.
 *
 *   { "printf": { "pattern": "^(?<ts>\\d+)\\s+(?<cpu>\\d+)\\s+(?<pid>\\d+)\\s+(?<comm>\\S+)\\s+(?<event>\\S+)\\s+(?<dev>\\S+)\\s+(?<len>\\d+)$",
 *                 "tsUnit": "us" } }
 *
 * The editor reads them from the trace's workspace folder (src/extension/workspace-config.ts),
 * `ktl` from `--config FILE` or ./.vscode/kernel-trace.json (src/cli/load.ts); both pass them
 * through ReaderOptions to detection and `new PrintfReader(options)`.
 */
export interface PrintfOptions {
  /**
   * A JavaScript regular expression matched against each line (without its newline). Named
   * groups `ts`, `cpu`, `pid`, `comm` and `event` fill those columns (`tid` is taken for `pid`
   * when there is no `pid`); every other named group becomes a field of the event. Lines that
   * do not match are reported as issues. Without a pattern, lines of `key=value` pairs are read.
   */
  readonly pattern?: string;
  /** Flags for `pattern` (`i`, `u`, `s`); `g` and `y` are ignored. */
  readonly flags?: string;
  /**
   * Unit of an integer timestamp (`ts` group or key, e.g. bpftrace's `nsecs`): ns by default.
   * A timestamp with a fraction is seconds; `HH:MM:SS[.frac]` is a time of day.
   */
  readonly tsUnit?: 'ns' | 'us' | 'ms' | 's';
  /** Longest line kept (bytes); longer lines are reported and skipped. */
  readonly maxLineBytes?: number;
}

/** Names of the groups (or keys) that fill columns rather than fields. */
export const COLUMN_GROUPS = ['ts', 'cpu', 'pid', 'tid', 'comm', 'event'] as const;

/** Compiles a user pattern; an error message instead of an exception for a bad one. */
export function compilePattern(opts: PrintfOptions): RegExp | string | null {
  if (opts.pattern === undefined || opts.pattern === '') return null;
  const flags = (opts.flags ?? '').replace(/[^imsu]/g, '');
  try {
    return new RegExp(opts.pattern, flags);
  } catch (err) {
    return `invalid printf pattern: ${err instanceof Error ? err.message : String(err)}`;
  }
}
