/**
 * Worker thread entry: owns one trace. The extension host sends `open`, then page requests;
 * `cancel` stops a read in progress (the events read so far are kept and reported).
 */
import { parentPort } from 'node:worker_threads';
import type { HostToWorker, WorkerToHost } from '../protocol/worker-messages';
import { NotATraceError, loadTraceFile } from '../core/io/file-source';
import { TraceService } from './trace-service';
import { forgetSourceIndexes, probeLine, resolveAddress, resolveSymbol, traceHits } from './source-service';
import { TimelineService } from './timeline-service';
import { fdSummaries } from './fd-service';
import { CaptureOverlay } from './capture-overlay';
import { isCapture } from '../core/formats/capture-common';
import { LifecycleService } from './lifecycle-service';
import type { EventRow } from '../protocol/messages';
import type { Trace } from '../core/trace/trace';
import type { ReaderOptions } from '../core/formats/reader-options';
import { captureFindings, packetDetails } from './packet-service';
import { packetJourney } from './journey-service';

const port = parentPort;
if (!port) throw new Error('worker.js must run as a worker thread');

let service: TraceService | null = null;
/** The timeline's index over `service`'s trace, built on the first timeline request. */
let timeline: TimelineService | null = null;
/** A capture drawn on the timeline, if one was attached. */
let overlay: CaptureOverlay | null = null;
/** Lifecycle analyses (one per model, cached) over `service`'s trace, made on the first request. */
let lifecycles: LifecycleService | null = null;
const abort = new AbortController();
/** The opened file's base name (findings name it). */
let openedName = '';
/** Progress messages at most this often (ms): a fast read would otherwise flood the host. */
const PROGRESS_INTERVAL_MS = 100;

function post(msg: WorkerToHost): void {
  port?.postMessage(msg);
}

port.on('message', (msg: HostToWorker) => {
  switch (msg.type) {
    case 'open':
      void open(msg.path, msg.fileName, msg.readerOptions, msg.maxMemoryBytes);
      break;
    case 'cancel':
      abort.abort();
      break;
    case 'rows':
      onTrace(msg.requestId, async (_t, svc) => ({ type: 'rows', requestId: msg.requestId, start: msg.start, ...svc.rows(msg.start, msg.count, msg.filter) }));
      break;
    case 'hits':
      onTrace(msg.requestId, async (t) => ({ type: 'hits', requestId: msg.requestId, result: await traceHits(t, msg.source) }));
      break;
    case 'probeLine':
      reply(msg.requestId, probeLine(msg.source, msg.file, msg.line, msg.variables).then((result) => ({ type: 'probeLine', requestId: msg.requestId, result })));
      break;
    case 'resolveSymbol':
      reply(msg.requestId, resolveSymbol(msg.source, msg.symbol).then((definitions) => ({ type: 'symbol', requestId: msg.requestId, definitions })));
      break;
    case 'resolveAddress':
      reply(msg.requestId, resolveAddress(msg.source, msg.address).then((resolved) => ({ type: 'address', requestId: msg.requestId, resolved })));
      break;
    case 'dropSourceIndex':
      forgetSourceIndexes();
      break;
    case 'timeline':
      onTrace(msg.requestId, async (t, svc) => {
        timeline ??= new TimelineService(t);
        const answer = timeline.answer(msg.request, (i) => svc.rows(i, 1, {}).rows[0] as EventRow);
        // An attached capture's interfaces ride along as extra tracks.
        if (answer.type === 'timeline' && overlay) return { type: 'timeline', requestId: msg.requestId, reply: { ...answer, data: overlay.addTracks(answer.data) } };
        return { type: 'timeline', requestId: msg.requestId, reply: answer };
      });
      break;
    case 'lifecycle':
      onTrace(msg.requestId, async (t, svc) => {
        lifecycles ??= new LifecycleService(t);
        return { type: 'lifecycle', requestId: msg.requestId, reply: lifecycles.answer(msg.request, msg.config, (i) => svc.rows(i, 1, {}).rows[0] as EventRow) };
      });
      break;
    case 'attachCapture':
      onTrace(msg.requestId, async (t) => {
        const capture = await loadTraceFile(msg.path);
        if (!isCapture(capture.meta.format)) {
          capture.close();
          throw new Error(`${msg.name} is ${capture.meta.format}, not a capture (pcap/pcapng)`);
        }
        overlay?.dispose();
        overlay = new CaptureOverlay(t, capture, msg.name);
        return { type: 'captureOverlay', requestId: msg.requestId, overlay: overlay.info() };
      });
      break;
    case 'captureOffset':
      if (msg.detach) {
        overlay?.dispose();
        overlay = null;
      } else if (overlay) {
        overlay.setOffset(msg.offsetNs === null ? null : BigInt(msg.offsetNs));
      }
      post({ type: 'captureOverlay', requestId: msg.requestId, overlay: overlay?.info() ?? null });
      break;
    case 'fds':
      onTrace(msg.requestId, async (t) => ({ type: 'fds', requestId: msg.requestId, ...fdSummaries(t) }));
      break;
    case 'packet':
      onTrace(msg.requestId, async (t) => ({ type: 'packet', requestId: msg.requestId, packet: packetDetails(t, msg.index) }));
      break;
    case 'findings':
      onTrace(msg.requestId, async (t) => ({ type: 'findings', requestId: msg.requestId, ...(await captureFindings(t, openedName, msg.others)) }));
      break;
    case 'journey':
      onTrace(msg.requestId, async (t) => ({ type: 'journey', requestId: msg.requestId, ...(await packetJourney(t, msg.index, msg.name, msg.others)) }));
      break;
  }
});

/** Answers a request about the loaded trace; before it is loaded (or while it loads), a requestError. */
function onTrace(requestId: number, answer: (trace: Trace, service: TraceService) => Promise<WorkerToHost>): void {
  const svc = service;
  if (!svc) {
    post({ type: 'requestError', requestId, message: 'the trace is not loaded yet' });
    return;
  }
  reply(requestId, svc.withTrace((t) => answer(t, svc)));
}

/** Posts the answer, or the error as a requestError for that request. */
function reply(requestId: number, answer: Promise<WorkerToHost>): void {
  answer.then(post, (err: unknown) => post({ type: 'requestError', requestId, message: errorMessage(err) }));
}

async function open(path: string, fileName: string, readerOptions: ReaderOptions, maxMemoryBytes: number | undefined): Promise<void> {
  openedName = fileName;
  let last = 0;
  try {
    service = await TraceService.open(path, {
      readerOptions,
      ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}),
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
