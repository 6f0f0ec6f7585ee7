/**
 * What `ktl` could not read, said on stderr once the command is done (as tcpdump says
 * "truncated dump file"): per input with problems, their count and the first few with their
 * packet/line number and byte offset. main.ts then exits with status 4.
 */
import type { Trace } from '../core/trace/trace';
import { formatSpec } from '../core/formats/registry';
import { visibleText } from '../core/trace/visible-text';

/** Text from the file (messages may quote it) made inert for a terminal: control and bidi characters as escapes. */
const inert = (s: string): string => visibleText(s);

/** Problems listed per file; `ktl stats FILE` lists up to 10, `--json` up to 1000. */
const SHOWN = 3;

const reports: string[] = [];

/** Notes the problems of `trace`, read from `path`, for the end-of-run report. */
export function noteProblems(path: string, trace: Trace): void {
  if (trace.issueCount === 0) return;
  const kind = formatSpec(trace.meta.format).lineKind;
  const n = trace.issueCount;
  const lines = [`ktl: ${inert(path)}: ${n} problem${n === 1 ? '' : 's'} while reading it; the output covers what could be read:`];
  for (const issue of trace.issues.slice(0, SHOWN)) {
    // Line 0: a problem of the file as a whole (a stop, a header), not of one line or packet.
    const where = kind === 'none' || issue.line === 0 ? `byte offset ${issue.offset}` : `${kind} ${issue.line}, byte offset ${issue.offset}`;
    lines.push(`ktl:   ${where}: ${inert(issue.message)}`);
  }
  if (n > SHOWN) lines.push(`ktl:   ... and ${n - SHOWN} more (ktl stats --json lists them)`);
  reports.push(lines.join('\n'));
}

/** The report for every input read with problems, or null when all were read cleanly. */
export function problemsReport(): string | null {
  return reports.length === 0 ? null : reports.join('\n');
}
