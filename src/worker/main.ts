/**
 * Worker thread entry: owns one trace. The extension host sends `open`, then page requests;
 * `cancel` stops a read in progress (the events read so far are kept and reported).
 */
import { parentPort } from 'node:worker_threads';
import type { HostToWorker, WorkerToHost } from '../protocol/worker-messages';
import { NotATraceError } from '../core/io/file-source';
import { TraceService } from './trace-service';
import { probeLine, resolveSymbol, traceHits } from './source-service';
import { TimelineService } from './timeline-service';
import { LifecycleService } from './lifecycle-service';
import type { EventRow } from '../protocol/messages';

const port = parentPort;
if (!port) throw new Error('worker.js must run as a worker thread');

let service: TraceService | null = null;
/** The timeline's index over `service`'s trace, built on the first timeline request. */
let timeline: TimelineService | null = null;
/** Lifecycle analyses (one per model, cached) over `service`'s trace, made on the first request. */
let lifecycles: LifecycleService | null = null;
const abort = new AbortController();
/** Progress messages at most this often (ms): a fast read would otherwise flood the host. */
const PROGRESS_INTERVAL_MS = 100;

function post(msg: WorkerToHost): void {
  port?.postMessage(msg);
}

port.on('message', (msg: HostToWorker) => {
  switch (msg.type) {
    case 'open':
      void open(msg.path, msg.fileName);
      break;
    case 'cancel':
      abort.abort();
      break;
    case 'rows':
      if (!service) {
        post({ type: 'requestError', requestId: msg.requestId, message: 'the trace is not loaded yet' });
        return;
      }
      try {
        const { total, rows } = service.rows(msg.start, msg.count, msg.filter);
        post({ type: 'rows', requestId: msg.requestId, total, start: msg.start, rows });
      } catch (err) {
        post({ type: 'requestError', requestId: msg.requestId, message: errorMessage(err) });
      }
      break;
    case 'hits':
      if (!service) {
        post({ type: 'requestError', requestId: msg.requestId, message: 'the trace is not loaded yet' });
        return;
      }
      reply(msg.requestId, service.withTrace((t) => traceHits(t, msg.source)).then((result) => ({ type: 'hits', requestId: msg.requestId, result })));
      break;
    case 'probeLine':
      reply(msg.requestId, probeLine(msg.source, msg.file, msg.line, msg.variables).then((result) => ({ type: 'probeLine', requestId: msg.requestId, result })));
      break;
    case 'resolveSymbol':
      reply(msg.requestId, resolveSymbol(msg.source, msg.symbol).then((definitions) => ({ type: 'symbol', requestId: msg.requestId, definitions })));
      break;
    case 'timeline': {
      const svc = service;
      if (!svc) {
        post({ type: 'requestError', requestId: msg.requestId, message: 'the trace is not loaded yet' });
        return;
      }
      reply(
        msg.requestId,
        svc.withTrace(async (t) => {
          timeline ??= new TimelineService(t);
          return { type: 'timeline', requestId: msg.requestId, reply: timeline.answer(msg.request, (i) => svc.rows(i, 1, {}).rows[0] as EventRow) };
        }),
      );
      break;
    }
    case 'lifecycle': {
      const svc = service;
      if (!svc) {
        post({ type: 'requestError', requestId: msg.requestId, message: 'the trace is not loaded yet' });
        return;
      }
      reply(
        msg.requestId,
        svc.withTrace(async (t) => {
          lifecycles ??= new LifecycleService(t);
          return { type: 'lifecycle', requestId: msg.requestId, reply: lifecycles.answer(msg.request, msg.config, (i) => svc.rows(i, 1, {}).rows[0] as EventRow) };
        }),
      );
      break;
    }
  }
});

/** Posts the answer, or the error as a requestError for that request. */
function reply(requestId: number, answer: Promise<WorkerToHost>): void {
  answer.then(post, (err: unknown) => post({ type: 'requestError', requestId, message: errorMessage(err) }));
}

async function open(path: string, fileName: string): Promise<void> {
  let last = 0;
  try {
    service = await TraceService.open(path, {
      signal: abort.signal,
      onProgress: (bytesRead, totalBytes) => {
        const now = Date.now();
        if (now - last < PROGRESS_INTERVAL_MS && bytesRead < totalBytes) return;
        last = now;
        post({ type: 'progress', bytesRead, totalBytes });
      },
    });
    post({ type: 'opened', summary: service.summary(fileName) });
  } catch (err) {
    post({ type: 'openError', message: err instanceof NotATraceError ? err.reason : errorMessage(err) });
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
