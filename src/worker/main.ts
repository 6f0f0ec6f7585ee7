/**
 * Worker thread entry: owns one trace. The extension host sends `open`, then page requests;
 * `cancel` stops a read in progress (the events read so far are kept and reported). While the
 * file is read the worker answers the table and timeline over what is read so far (`partial`
 * summaries, throttled by loadTraceFile); analyses of the whole trace wait for the end.
 */
import { parentPort } from 'node:worker_threads';
import type { HostToWorker, WorkerToHost } from '../protocol/worker-messages';
import { NotATraceError, loadTraceFile } from '../core/io/file-source';
import { TraceService } from './trace-service';
import { forgetSourceIndexes, probeLine, resolveAddress, resolveSymbol, traceHits } from './source-service';
import { CaptureOverlay } from './capture-overlay';
import { isCapture } from '../core/formats/capture/common';
import type { ReaderOptions } from '../core/formats/reader-options';
import { Session } from './session';
import { ANSWERED_WHILE_READING, answerWebview } from './webview-handlers';
import type { Trace } from '../core/trace/trace';
import { compareWith, exportTrace } from './compare-service';

const port = parentPort;
if (!port) throw new Error('worker.js must run as a worker thread');

/** The loaded trace (a snapshot while reading) and what is built over it; null until the first snapshot. */
let session: Session | null = null;
/** The session once the whole file is read (or reading stopped): what whole-trace analyses wait for. */
let settleWhole: { resolve: (s: Session) => void; reject: (err: unknown) => void } | null = null;
const whole = new Promise<Session>((resolve, reject) => (settleWhole = { resolve, reject }));
whole.catch(() => undefined); // a failed open is reported as openError; waiting requests get its message
const abort = new AbortController();
/** Progress messages at most this often (ms): a fast read would otherwise flood the host. */
const PROGRESS_INTERVAL_MS = 100;

function post(msg: WorkerToHost): void {
  port?.postMessage(msg);
}

port.on('message', (msg: HostToWorker) => {
  switch (msg.type) {
    case 'open':
      void open(msg.path, msg.fileName, msg.readerOptions, msg.maxMemoryBytes, msg.parseJobs);
      break;
    case 'cancel':
      abort.abort();
      break;
    case 'webview':
      (ANSWERED_WHILE_READING.has(msg.request.type) ? onTrace : onWholeTrace)(msg.requestId, async (s) => ({ type: 'webview', requestId: msg.requestId, reply: await answerWebview(msg.request, s, msg.context) }));
      break;
    case 'hits':
      onWholeTrace(msg.requestId, async (s) => ({ type: 'hits', requestId: msg.requestId, result: await traceHits(s.trace, msg.source) }));
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
    case 'compare':
      onWholeTrace(msg.requestId, async (s) => ({ type: 'compare', requestId: msg.requestId, diff: await compareWith(s.trace, s.fileName, msg, msg.source) }));
      break;
    case 'export':
      onWholeTrace(msg.requestId, async (s) => {
        const r = await exportTrace(s.trace, s.fileName, msg.format, msg.out, msg.source);
        return { type: 'exported', requestId: msg.requestId, events: r.events, files: r.files };
      });
      break;
    case 'attachCapture':
      onWholeTrace(msg.requestId, async (s) => {
        const capture = await loadTraceFile(msg.path);
        if (!isCapture(capture.meta.format)) {
          capture.close();
          throw new Error(`${msg.name} is ${capture.meta.format}, not a capture (pcap/pcapng)`);
        }
        s.overlay?.dispose();
        s.overlay = new CaptureOverlay(s.trace, capture, msg.name);
        return { type: 'captureOverlay', requestId: msg.requestId, overlay: s.overlay.info() };
      });
      break;
    case 'captureOffset': {
      const s = session;
      if (s && msg.detach) {
        s.overlay?.dispose();
        s.overlay = null;
      } else if (s?.overlay) {
        s.overlay.setOffset(msg.offsetNs === null ? null : BigInt(msg.offsetNs));
      }
      post({ type: 'captureOverlay', requestId: msg.requestId, overlay: s?.overlay?.info() ?? null });
      break;
    }
  }
});

/** Answers a request about the loaded trace; before it is loaded (or while it loads), a requestError. */
function onTrace(requestId: number, answer: (session: Session) => Promise<WorkerToHost>): void {
  const s = session;
  if (!s) {
    post({ type: 'requestError', requestId, message: 'the trace is not loaded yet' });
    return;
  }
  reply(requestId, s.service.withTrace(() => answer(s)));
}

/** Like onTrace, but while the file is still being read the answer waits for the whole trace. */
function onWholeTrace(requestId: number, answer: (session: Session) => Promise<WorkerToHost>): void {
  if (!session?.trace.partial) {
    onTrace(requestId, answer);
    return;
  }
  reply(
    requestId,
    whole.then((s) => s.service.withTrace(() => answer(s))),
  );
}

/** Posts the answer, or the error as a requestError for that request. */
function reply(requestId: number, answer: Promise<WorkerToHost>): void {
  answer.then(post, (err: unknown) => post({ type: 'requestError', requestId, message: errorMessage(err) }));
}

async function open(path: string, fileName: string, readerOptions: ReaderOptions, maxMemoryBytes: number | undefined, jobs: number | undefined): Promise<void> {
  let last = 0;
  let fileBytes = 0;
  /** The session moved to `trace` (made at the first one). */
  const show = (trace: Trace): Session => {
    if (session) session.update(trace);
    else session = new Session(new TraceService(trace), trace, fileName);
    return session;
  };
  try {
    const trace = await loadTraceFile(path, {
      readerOptions,
      ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}),
      ...(jobs !== undefined ? { jobs } : {}),
      // The summary's counts, made by the threads that read the ranges (TraceService takes them).
      countStats: true,
      signal: abort.signal,
      onProgress: (bytesRead, totalBytes) => {
        fileBytes = totalBytes;
        const now = Date.now();
        if (now - last < PROGRESS_INTERVAL_MS && bytesRead < totalBytes) return;
        last = now;
        post({ type: 'progress', bytesRead, totalBytes });
      },
      // The first screen while reading: each snapshot's summary (its cost throttles the next).
      onSnapshot: (snapshot) => {
        post({ type: 'partial', summary: show(snapshot).service.summary(fileName, fileBytes) });
        return undefined;
      },
    });
    const s = show(trace);
    settleWhole?.resolve(s);
    post({ type: 'opened', summary: s.service.summary(fileName) });
  } catch (err) {
    session?.service.dispose();
    session = null;
    settleWhole?.reject(err);
    post({ type: 'openError', message: err instanceof NotATraceError ? err.reason : errorMessage(err) });
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
