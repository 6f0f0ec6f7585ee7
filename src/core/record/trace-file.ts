/**
 * The saved recording: `traces/ktl-YYYYMMDD-HHMMSS.trace`, the instance's `trace` text with
 * one line of ours in front naming what stopped it (formats/ftrace/ktl-header.ts: the ftrace
 * reader reads it into the summary; any other reader sees a comment).
 */
import { STOPPED_BY_PREFIX } from '../formats/ftrace/ktl-header';
import { visibleText } from '../trace/visible-text';

export type StopReason =
  | { readonly kind: 'trigger'; readonly trigger: string }
  | { readonly kind: 'duration'; readonly seconds: number }
  | { readonly kind: 'command'; readonly exitCode: number | null; readonly signal: string | null }
  | { readonly kind: 'hand' };

export function stopReasonText(r: StopReason): string {
  switch (r.kind) {
    case 'trigger':
      return `trigger ${r.trigger}`;
    case 'duration':
      return `duration ${r.seconds} s`;
    case 'command':
      return `command exit (${r.signal !== null ? `signal ${r.signal}` : `status ${r.exitCode}`})`;
    case 'hand':
      return 'hand (stopped by the user)';
  }
}

/** The header line (control characters as escapes: the trigger holds the user's glob). */
export function stoppedByLine(r: StopReason): string {
  return `${STOPPED_BY_PREFIX}${visibleText(stopReasonText(r))}\n`;
}

/** `ktl-20261207-131502.trace` for `d`, in local time (what the user's clock says). */
export function recordingFileName(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `ktl-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.trace`;
}
