/**
 * The kernel's own explanation of a rejected filter or trigger, from tracefs `error_log`
 * (Documentation/trace/histogram.rst "error_log"; kernel/trace/trace.c tracing_log_err):
 *
 *   [ 2787.210069] event filter parse error: error: Invalid value (did you forget quotes)?
 *     Command: prev_pid == abc
 *                           ^
 *
 * The caret's column under `Command:` is the position. A write of `traceoff if EXPR` logs only
 * EXPR as the command, so the entry is matched by the command being part of what we wrote.
 */
export interface KernelError {
  readonly message: string;
  readonly command: string;
  /** 0-based character position in `command`, or null without a caret. */
  readonly position: number | null;
}

export function parseErrorLog(text: string): KernelError[] {
  const out: KernelError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^\[\s*[\d.]+\]\s*(.*)$/.exec(lines[i] as string);
    if (!head) continue;
    const cmd = /^(\s*Command:\s)(.*)$/.exec(lines[i + 1] ?? '');
    if (!cmd) {
      out.push({ message: head[1] as string, command: '', position: null });
      continue;
    }
    const caretLine = lines[i + 2] ?? '';
    const caret = /^\s*\^\s*$/.test(caretLine) ? caretLine.indexOf('^') - (cmd[1] as string).length : -1;
    out.push({ message: head[1] as string, command: cmd[2] as string, position: caret >= 0 ? caret : null });
    i += caret >= 0 ? 2 : 1;
  }
  return out;
}

/** The newest entry about `written` (the text we wrote), or undefined. */
export function errorFor(entries: readonly KernelError[], written: string): KernelError | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i] as KernelError;
    if (e.command !== '' && written.includes(e.command)) return e;
  }
  return undefined;
}

/** `Invalid value (did you forget quotes)? at column 14 of "prev_pid == abc" (after "prev_pid == a")`: one line. */
export function describeKernelError(e: KernelError): string {
  const msg = e.message.replace(/^event filter parse error:\s*/, '').replace(/^error:\s*/, '');
  if (e.position === null) return `${msg}: ${e.command}`;
  return `${msg} at column ${e.position + 1} of "${e.command}" (after "${e.command.slice(0, e.position)}")`;
}
