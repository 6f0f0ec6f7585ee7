/**
 * The `ktl` command table. Adding a command = one file exporting a `Command`, one line here.
 * Commands get parsed options and an Output; they throw UsageError for bad arguments and let
 * NotATraceError / file-system errors through (main.ts turns those into exit status 2).
 */
import type { Output } from './output';
import { statsCommand } from './stats';
import { eventsCommand } from './events';
import { fdsCommand } from './fds';
import { hitsCommand } from './hits';
import { probeCommand } from './probe';
import { lifecycleCommand } from './lifecycle';
import { interleaveCommand } from './interleave';
import { packetsCommand } from './packets';
import { findingsCommand } from './findings';
import { journeyCommand } from './journey';
import { alignCommand } from './align';
import { diffCommand } from './diff';
import { exportCommand } from './export';
import { latencyCommand } from './latency';
import { recordCommand } from './record';

export class UsageError extends Error {}

export interface ParsedArgs {
  /** Positional arguments after the command name. */
  readonly positionals: readonly string[];
  /** Option values: booleans for flags, string arrays for repeatable options. */
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
}

export interface Command {
  readonly name: string;
  /** One usage line (after `ktl `). */
  readonly usage: string;
  /** Options in node:util parseArgs form. */
  readonly options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
  run(args: ParsedArgs, out: Output): Promise<void>;
}

export const COMMANDS: readonly Command[] = [statsCommand, eventsCommand, fdsCommand, hitsCommand, probeCommand, packetsCommand, findingsCommand, journeyCommand, alignCommand, lifecycleCommand, interleaveCommand, diffCommand, exportCommand, recordCommand, latencyCommand];

/** Parses a non-negative integer option value. */
export function nonNegative(flag: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} expects a non-negative integer, got "${v}"`);
  return Number(v);
}

/** Exactly one positional FILE argument. */
export function oneFile(args: ParsedArgs, command: string): string {
  const [file, ...extra] = args.positionals;
  if (!file || extra.length > 0) throw new UsageError(`ktl ${command} expects exactly one FILE`);
  return file;
}
