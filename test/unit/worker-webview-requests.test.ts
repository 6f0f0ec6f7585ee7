// The worker answers every webview request through one envelope (`webview`): the reply keeps
// the webview's own requestId inside, and a failing request comes back as a requestError for
// the host's id, whatever its kind. The real worker, bundled as the extension ships it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { bundleNode } from '../../scripts/bundle-node.mjs';
import type { WebviewRequest } from '../../src/protocol/messages';
import type { HostToWorker, RequestContext, WorkerToHost } from '../../src/protocol/worker-messages';

test('webview requests reach the worker in one envelope with one error path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktl-worker-webview-'));
  const worker = new Worker(await bundleNode('src/worker/main.ts', join(dir, 'worker.js')));
  try {
    let nextId = 1;
    const waiting = new Map<number, (m: WorkerToHost) => void>();
    let opened: (m: WorkerToHost) => void = () => undefined;
    worker.on('message', (m: WorkerToHost) => {
      if ('requestId' in m) waiting.get(m.requestId)?.(m);
      else opened(m);
    });
    const send = (m: HostToWorker): void => worker.postMessage(m);
    const forward = (request: WebviewRequest, context: RequestContext = {}): Promise<WorkerToHost> =>
      new Promise((res) => {
        const requestId = nextId++;
        waiting.set(requestId, (m) => {
          assert.equal('requestId' in m && m.requestId, requestId, 'the answer carries the host id');
          res(m);
        });
        send({ type: 'webview', requestId, request, context });
      });

    const early = await forward({ type: 'rows', requestId: 5, start: 0, count: 3, filter: {} });
    assert.deepEqual(early.type === 'requestError' && early.message, 'the trace is not loaded yet');

    await new Promise<void>((res, rej) => {
      opened = (m) => (m.type === 'opened' ? res() : m.type === 'openError' ? rej(new Error(m.message)) : undefined);
      send({ type: 'open', path: resolve('test/fixtures/ftrace/seed004-fifo-break.trace'), fileName: 'seed004-fifo-break.trace', readerOptions: {} });
    });

    const rows = await forward({ type: 'rows', requestId: 41, start: 0, count: 3, filter: {} });
    assert.ok(rows.type === 'webview' && rows.reply.type === 'rows');
    assert.equal(rows.reply.requestId, 41, "the webview's id inside");
    assert.equal(rows.reply.rows.length, 3);

    const tl = await forward({ type: 'timeline', requestId: 42, startNs: 0, endNs: 1e9, resolution: 100, cpus: null, filter: {} });
    assert.ok(tl.type === 'webview' && tl.reply.type === 'timeline' && tl.reply.requestId === 42);

    const models = await forward({ type: 'lifecycleModels', requestId: 43 }, { models: null });
    assert.ok(models.type === 'webview' && models.reply.type === 'lifecycleModels' && models.reply.models.length > 0);

    // Different kinds, failing in different services: the same requestError.
    const packet = await forward({ type: 'packet', requestId: 44, index: 0 });
    assert.deepEqual(packet.type === 'requestError' && packet.message, 'not a packet capture');
    const flight = await forward({ type: 'flightRecorder', requestId: 45, index: 1e6, perCpu: 2 });
    assert.ok(flight.type === 'requestError' && /no event 1000000/.test(flight.message));
  } finally {
    await worker.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
});
