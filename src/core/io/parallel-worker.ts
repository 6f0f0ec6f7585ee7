/**
 * Worker thread entry (bundled as dist/parallel-worker.js): reads the byte range it is given
 * (parallel-range.ts) and posts the part back with its column buffers transferred. Messages:
 * in `{ type: 'stop', text }`; out `{ type: 'progress', ... }`, then `{ type: 'done', part,
 * stopped, counts }` or `{ type: 'error', message }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readRange, type RangeProgress, type RangeTask } from './parallel-range';

const port = parentPort;
if (port) {
  let stopText: string | null = null;
  port.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'stop') {
      const text = (m as { text?: unknown }).text;
      if (typeof text === 'string') stopText = text;
    }
  });
  readRange(workerData as RangeTask, {
    stopText: () => stopText,
    progress: (p: RangeProgress) => port.postMessage({ type: 'progress', ...p }),
  }).then(
    ({ part, transfer, stopped, counts }) => {
      port.postMessage({ type: 'done', part, stopped, counts }, transfer);
      port.close();
    },
    (e: unknown) => {
      port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      port.close();
    },
  );
}
