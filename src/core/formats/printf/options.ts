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
import { compileUserRegex, type UserRegex } from '../../config/user-regex';

export interface PrintfOptions {
  /**
   * A regular expression in RE2 syntax (linear-time matching: no backreferences, no lookaround;
   * see config/user-regex.ts) matched against each line (without its newline). Named
   * groups `ts`, `cpu`, `pid`, `comm` and `event` fill those columns (`tid` is taken for `pid`
   * when there is no `pid`); every other named group becomes a field of the event. Lines that
   * do not match are reported as issues. Without a pattern, lines of `key=value` pairs are read.
   */
  readonly pattern?: string;
  /** Flags for `pattern` (`i`, `s`, `m`); `u` (RE2 is always Unicode-aware), `g` and `y` are ignored. */
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
export function compilePattern(opts: PrintfOptions): UserRegex | string | null {
  if (opts.pattern === undefined || opts.pattern === '') return null;
  const flags = opts.flags ?? '';
  const re = compileUserRegex(opts.pattern, { ignoreCase: flags.includes('i'), dotAll: flags.includes('s'), multiline: flags.includes('m') });
  return typeof re === 'string' ? `invalid printf pattern: ${re}` : re;
}
