/** `jsonl` export: one JSON object per event, exactly what `ktl events --json` prints. */
import type { Trace } from '../../trace/trace';
import { eventJson } from '../../formats/decode';
import { TextBatcher, type TextSink } from './text-sink';

export async function exportJsonl(trace: Trace, sink: TextSink): Promise<number> {
  const out = new TextBatcher(sink);
  for (let i = 0; i < trace.length; i++) if (out.add(`${JSON.stringify(eventJson(trace, i))}\n`)) await out.flush();
  await out.flush();
  return trace.length;
}
