/**
 * A line ktl writes in front of a trace it recorded (`ktl record`, Kernel Trace: Record…):
 * `# ktl: stopped by trigger traceoff if buf ~ "BUG *" (on ftrace:print)`. The ftrace reader
 * puts its text in the trace's meta (`stoppedBy`) so the summary names what ended the recording;
 * to ftrace itself, and any other reader, it is a comment.
 */
export const STOPPED_BY_PREFIX = '# ktl: stopped by ';
