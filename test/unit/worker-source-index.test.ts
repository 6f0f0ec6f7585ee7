// Rebuild Source Index reaches the trace workers (issue 3): the real worker, bundled as the
// extension ships it, on seed 004's trace over a copy of net/xdp/xsk.c. A second definition of
// the static __xsk_rcv_zc appears in the tree; the worker's index, which already looked the name
// up, does not see it until the rebuild (cache files deleted + `dropSourceIndex`), and then the
// event is ambiguous between the two files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { bundleNode } from '../../scripts/bundle-node.mjs';
import type { HostToWorker, SourceConfig, WorkerToHost } from '../../src/protocol/worker-messages';
import type { HitsResult } from '../../src/core/analysis/hits';
import { LINUX, LINUX_SKIP } from '../helpers/source';

test('Rebuild Source Index: a trace worker drops its index and finds the new definition', { skip: LINUX_SKIP }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktl-worker-index-'));
  // The worker as the extension ships it (dist/worker.js's bundle settings, wasm beside it).
  const worker = new Worker(await bundleNode('src/worker/main.ts', join(dir, 'worker.js')));
  try {
    const root = join(dir, 'linux');
    mkdirSync(join(root, 'net', 'xdp'), { recursive: true });
    copyFileSync(join(LINUX, 'net/xdp/xsk.c'), join(root, 'net/xdp/xsk.c'));
    const source: SourceConfig = { sourceRoot: root, cacheDir: join(dir, 'cache') };

    let nextId = 1;
    const waiting = new Map<number, (m: WorkerToHost) => void>();
    let opened: (m: WorkerToHost) => void = () => undefined;
    worker.on('message', (m: WorkerToHost) => {
      if ('requestId' in m) waiting.get(m.requestId)?.(m);
      else opened(m);
    });
    const send = (m: HostToWorker): void => worker.postMessage(m);
    const hits = (): Promise<HitsResult> =>
      new Promise((res, rej) => {
        const requestId = nextId++;
        waiting.set(requestId, (m) => (m.type === 'hits' ? res(m.result) : rej(new Error(JSON.stringify(m)))));
        send({ type: 'hits', requestId, source });
      });
    const rcvSites = (r: HitsResult): string[] => r.hits.filter((h) => h.event === '__xsk_rcv_zc_L7').map((h) => `${h.file}:${h.line}${h.ambiguous ? ' ambiguous' : ''}`);

    await new Promise<void>((res, rej) => {
      opened = (m) => (m.type === 'opened' ? res() : m.type === 'openError' ? rej(new Error(m.message)) : undefined);
      send({ type: 'open', path: resolve('test/fixtures/ftrace/seed004-fifo-break.trace'), fileName: 'seed004-fifo-break.trace', readerOptions: {} });
    });

    assert.deepEqual(rcvSites(await hits()), ['net/xdp/xsk.c:144']);
    assert.ok(existsSync(source.cacheDir), 'the worker wrote its cache');

    // A second static __xsk_rcv_zc in the tree (the same function in another file).
    copyFileSync(join(LINUX, 'net/xdp/xsk.c'), join(root, 'net/xdp/xsk-copy.c'));
    assert.deepEqual(rcvSites(await hits()), ['net/xdp/xsk.c:144'], 'names already looked up are answered from the index');

    // What the command does: delete the cache files, then drop every worker's index.
    rmSync(source.cacheDir, { recursive: true, force: true });
    send({ type: 'dropSourceIndex' });
    assert.deepEqual(rcvSites(await hits()), ['net/xdp/xsk-copy.c:144 ambiguous', 'net/xdp/xsk.c:144 ambiguous']);
    // And the cache written afterwards is the new index, not the old one put back.
    const [cacheFile] = readdirSync(source.cacheDir);
    const cache = JSON.parse(readFileSync(join(source.cacheDir, cacheFile as string), 'utf8')) as { names: Record<string, string[]> };
    assert.deepEqual(cache.names.__xsk_rcv_zc?.sort(), ['net/xdp/xsk-copy.c', 'net/xdp/xsk.c']);
  } finally {
    await worker.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
});
