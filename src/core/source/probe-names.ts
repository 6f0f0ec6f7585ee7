/**
 * perf probe event names <-> source positions.
 *
 * perf's rules (tools/perf/util/probe-event.c): `perf probe -a 'func:N ...'` with N > 0 names
 * the event `func_LN` (N counted from the line of the function's name, DW_AT_decl_line, as
 * `perf probe -L func` numbers it); `func:0`, `func` and `func+OFF` name it `func`; a return
 * probe `func%return` is `func__return`; when the name is taken perf appends `_1`, `_2` ...
 * (MAX_EVENT_INDEX 1024). Events are created in the `probe` group.
 */

export type ProbeTarget =
  | { readonly kind: 'line'; readonly function: string; readonly relLine: number }
  | { readonly kind: 'entry'; readonly function: string }
  | { readonly kind: 'return'; readonly function: string };

/**
 * The source positions an event name can stand for, most specific first. A trailing `_<k>`
 * may be perf's uniqueness suffix or part of the function's name, so both readings are
 * returned; the caller keeps the first whose function exists.
 */
export function probeTargets(event: string): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  const add = (name: string): void => {
    const ret = /^(.+)__return$/.exec(name);
    if (ret) out.push({ kind: 'return', function: ret[1] as string });
    const line = /^(.+)_L(\d+)$/.exec(name);
    if (line) out.push({ kind: 'line', function: line[1] as string, relLine: Number(line[2]) });
    out.push({ kind: 'entry', function: name });
  };
  add(event);
  const suffixed = /^(.+)_(\d{1,4})$/.exec(event);
  if (suffixed && Number(suffixed[2]) >= 1 && Number(suffixed[2]) < 1024) add(suffixed[1] as string);
  return out;
}

/** The event name `perf probe -a 'FUNC:REL'` creates (before any uniqueness suffix). */
export function predictedEventName(func: string, relLine: number): string {
  const base = func.replace(/[^A-Za-z0-9_]/g, '_');
  return relLine > 0 ? `${base}_L${relLine}` : base;
}
