/**
 * "Kernel Trace: Record…" asks, in quick picks and input boxes: the tracepoints (from the
 * machine's available_events, grouped by system, searchable; `SYSTEM:*` for a whole system),
 * filters per event, the buffer size per CPU, whether the application's trace_marker writes
 * are copied in, and how the recording ends (a marker glob, an event filter, N seconds, a
 * command, by hand). Returns the answers, or undefined when the user cancels a step.
 */
import * as vscode from 'vscode';
import type { EventExpr } from '../core/record/plan';
import { markerGlobTrigger, parseEventExpr, splitEvent } from '../core/record/plan';
import { shellWords } from '../core/record/commands';

export interface RecordAnswers {
  readonly events: string[];
  readonly filters: EventExpr[];
  readonly bufferKb: number;
  readonly markers: boolean;
  readonly stopMarker?: string;
  readonly stopEvent?: EventExpr;
  readonly durationS?: number;
  readonly command?: string[];
}

const TITLE = 'Kernel Trace: Record';

function check(f: () => void): string | undefined {
  try {
    f();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The tracepoint picker: one separator per system, `SYSTEM:*` first in each. */
async function pickEvents(available: readonly string[] | null, probeEvents: readonly string[]): Promise<string[] | undefined> {
  if (available === null) {
    // available_events is root-only on most systems: the user names them (ktl checks them under sudo).
    const typed = await vscode.window.showInputBox({
      title: `${TITLE} (1/5): events`,
      prompt: 'available_events is not readable without root: events to record, SYSTEM:EVENT or SYSTEM:*, separated by spaces',
      value: 'sched:sched_switch',
      validateInput: (v) => check(() => v.split(/\s+/).filter(Boolean).forEach((e) => splitEvent(e, true))),
      ignoreFocusOut: true,
    });
    return typed?.split(/\s+/).filter(Boolean);
  }
  const bySystem = new Map<string, string[]>();
  for (const e of available) {
    const [sys] = e.split(':');
    if (sys !== undefined) bySystem.set(sys, [...(bySystem.get(sys) ?? []), e]);
  }
  const items: (vscode.QuickPickItem & { event?: string })[] = [];
  for (const sys of [...bySystem.keys()].sort()) {
    const evs = (bySystem.get(sys) ?? []).sort();
    items.push({ label: sys, kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: `${sys}:*`, description: `every ${sys} event (${evs.length})`, event: `${sys}:*` });
    for (const e of evs) items.push({ label: e, event: e });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `${TITLE} (1/5): tracepoints${probeEvents.length ? ` (plus ${probeEvents.length} probe(s) from the script)` : ''}`,
    placeHolder: 'Type to search (e.g. sched_switch, net:), tick the events, Enter',
    canPickMany: true,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  return picked?.map((p) => p.event).filter((e): e is string => e !== undefined);
}

async function askFilters(events: readonly string[]): Promise<EventExpr[] | undefined> {
  const filters: EventExpr[] = [];
  const concrete = events.filter((e) => !e.endsWith(':*'));
  for (;;) {
    const left = concrete.filter((e) => !filters.some((f) => f.event === e));
    if (left.length === 0) return filters;
    const done = { label: filters.length ? 'Continue' : 'No filters', description: filters.map((f) => `${f.event}: ${f.expr}`).join('; ') };
    const pick = await vscode.window.showQuickPick([done, ...left.map((e) => ({ label: e, description: 'add a filter' }))], {
      title: `${TITLE} (2/5): event filters (ftrace syntax)`,
      placeHolder: 'Pick an event to filter, or continue',
      ignoreFocusOut: true,
    });
    if (!pick) return undefined;
    if (pick === done) return filters;
    const expr = await vscode.window.showInputBox({
      title: `${TITLE}: filter for ${pick.label}`,
      prompt: 'ftrace filter expression, e.g. prev_pid == 1234 or len > 100 (the kernel checks it and says where it is wrong)',
      validateInput: (v) => check(() => parseEventExpr('filter', `${pick.label}:${v}`)),
      ignoreFocusOut: true,
    });
    if (expr === undefined) return undefined;
    filters.push({ event: pick.label, expr: expr.trim() });
  }
}

type End = Pick<RecordAnswers, 'stopMarker' | 'stopEvent' | 'durationS' | 'command'>;

async function askEnd(events: readonly string[], markers: boolean): Promise<End | undefined> {
  const items = [
    { label: 'When a trace_marker line matches…', description: 'traceoff if buf ~ "GLOB": the kernel stops at the bug', id: 'marker' },
    { label: 'When an event matches a filter…', description: 'traceoff if EXPR on that event', id: 'event' },
    { label: 'After N seconds…', id: 'duration' },
    { label: 'When a command finishes…', id: 'command' },
    { label: 'By hand', description: 'Stop in the status bar', id: 'hand' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `${TITLE} (5/5): how it ends`, ignoreFocusOut: true, placeHolder: markers ? undefined : 'a marker trigger copies trace_marker writes in' });
  if (!pick) return undefined;
  const input = (prompt: string, value: string, validate: (v: string) => string | undefined): Thenable<string | undefined> =>
    vscode.window.showInputBox({ title: `${TITLE}: ${pick.label}`, prompt, value, validateInput: validate, ignoreFocusOut: true });
  switch (pick.id) {
    case 'marker': {
      const glob = await input('Glob the application\'s marker must match (ftrace `~`: *, ?, [..]), e.g. BUG *', 'BUG *', (v) => check(() => markerGlobTrigger(v)));
      return glob === undefined ? undefined : { stopMarker: glob };
    }
    case 'event': {
      const spec = await input('EVENT:EXPR, e.g. skb:kfree_skb:reason == 2', `${events.find((e) => !e.endsWith(':*')) ?? 'sched:sched_switch'}:`, (v) => check(() => parseEventExpr('stop event', v)));
      return spec === undefined ? undefined : { stopEvent: parseEventExpr('stop event', spec) };
    }
    case 'duration': {
      const s = await input('Seconds', '10', (v) => (/^\d+(\.\d+)?$/.test(v.trim()) && Number(v) > 0 ? undefined : 'a positive number of seconds'));
      return s === undefined ? undefined : { durationS: Number(s) };
    }
    case 'command': {
      const c = await input('Command (sh words; runs as the recording user, without a shell)', '', (v) => (shellWords(v)?.length ? undefined : 'a command, quotes closed'));
      return c === undefined ? undefined : { command: shellWords(c) ?? [] };
    }
    default:
      return {};
  }
}

export async function askRecording(available: readonly string[] | null, probeEvents: readonly string[]): Promise<RecordAnswers | undefined> {
  const events = await pickEvents(available, probeEvents);
  if (events === undefined || (events.length === 0 && probeEvents.length === 0)) return undefined;
  const filters = await askFilters(events);
  if (filters === undefined) return undefined;
  const kb = await vscode.window.showInputBox({
    title: `${TITLE} (3/5): ring buffer per CPU (KiB)`,
    prompt: 'A flight recorder keeps the newest events that fit: bigger keeps more history before the stop',
    value: '4096',
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) > 0 ? undefined : 'a positive whole number of KiB'),
    ignoreFocusOut: true,
  });
  if (kb === undefined) return undefined;
  const copy = { label: 'Copy trace_marker writes', description: "the application's own markers (options/copy_trace_marker)" };
  const markersPick = await vscode.window.showQuickPick([copy, { label: 'No markers' }], { title: `${TITLE} (4/5): trace_marker`, ignoreFocusOut: true });
  if (!markersPick) return undefined;
  const end = await askEnd(events, markersPick === copy);
  if (!end) return undefined;
  return { events, filters, bufferKb: Number(kb), markers: markersPick === copy, ...end };
}
