/**
 * The webview's request layer (webview/rpc.ts) without a browser: one id counter for every
 * view, a reply or error settling exactly the request that asked, and the two view habits on
 * top (latest only, one in flight).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostToWebview, WebviewRequest } from '../../src/protocol/messages';
import { Latest, OneInFlight, RequestError, Rpc } from '../../webview/rpc';
import { RowCache, type RowsRequest } from '../../webview/row-cache';

/** An Rpc whose posted requests are kept, and a way to answer them. */
function harness(): { rpc: Rpc; sent: WebviewRequest[]; answer: (m: HostToWebview) => boolean } {
  const sent: WebviewRequest[] = [];
  const rpc = new Rpc((m) => sent.push(m));
  return { rpc, sent, answer: (m) => rpc.settle(m) };
}

/** Lets the promise callbacks run. */
const settled = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

const emptyData = { startNs: 0, endNs: 1, resolution: 1, names: [], tasks: [], tracks: [] };

describe('rpc', () => {
  it('numbers the requests of every view from one counter', () => {
    const { rpc, sent } = harness();
    const packet = new Latest<'packet'>(rpc);
    const findings = new Latest<'findings'>(rpc);
    const lanes = new OneInFlight<'lifecycleLanes'>(rpc, () => ({ type: 'lifecycleLanes', model: 'm', first: 0, count: 1, startNs: 0, endNs: 1, resolution: 1 }), () => undefined);
    const rows: RowsRequest[] = [];
    const cache = new RowCache((r) => rows.push(r), rpc.nextId);
    packet.send({ type: 'packet', index: 1 }, () => undefined);
    cache.reset({}, 1_000);
    cache.ensure(0, 10, 0);
    findings.send({ type: 'findings' }, () => undefined);
    lanes.ask();
    packet.send({ type: 'packet', index: 2 }, () => undefined);
    void rpc.request({ type: 'fds' });
    const ids = [...sent.map((m) => m.requestId), ...rows.map((r) => r.requestId)];
    assert.equal(ids.length, 6);
    assert.equal(new Set(ids).size, ids.length, `ids ${ids.join(', ')}`);
  });

  it('settles exactly the request an answer is for, error or reply', async () => {
    const { rpc, sent, answer } = harness();
    const results: string[] = [];
    const a = rpc.request({ type: 'fds' }).then(
      (r) => results.push(`fds ${r.total}`),
      (e: unknown) => results.push(`fds error ${(e as Error).message}`),
    );
    const b = rpc.request({ type: 'findings' }).then(
      (r) => results.push(`findings ${r.total}`),
      (e: unknown) => results.push(`findings error ${(e as Error).message}`),
    );
    const [fds, findings] = sent;
    assert.ok(fds && findings);
    assert.equal(answer({ type: 'requestError', requestId: findings.requestId, message: 'not a packet capture' }), true);
    assert.equal(answer({ type: 'fds', requestId: fds.requestId, views: [], total: 3 }), true);
    await Promise.all([a, b]);
    assert.deepEqual(results.sort(), ['fds 3', 'findings error not a packet capture']);
  });

  it('rejects with a RequestError, and a reply of another kind too', async () => {
    const { rpc, sent, answer } = harness();
    const p = rpc.request({ type: 'packet', index: 0 });
    answer({ type: 'findings', requestId: sent[0]!.requestId, findings: [], total: 0 });
    await assert.rejects(p, (e: unknown) => e instanceof RequestError && /packet request with findings/.test(e.message));
  });

  it('drops replies nobody waits for and passes other messages on', () => {
    const { answer } = harness();
    assert.equal(answer({ type: 'rows', requestId: 987654, total: 1, start: 0, rows: [] }), true);
    assert.equal(answer({ type: 'requestError', requestId: 987654, message: 'x' }), true);
    assert.equal(answer({ type: 'progress', bytesRead: 1, totalBytes: 2 }), false);
    assert.equal(answer({ type: 'selectPacket', index: 3 }), false);
  });

  it('latest only: a superseded reply or error is dropped, the newest delivered', async () => {
    const { rpc, sent, answer } = harness();
    const latest = new Latest<'packet'>(rpc);
    const got: string[] = [];
    const send = (index: number): void => latest.send({ type: 'packet', index }, (r) => got.push(`reply ${r.packet.index}`), (m) => got.push(`error ${m}`));
    send(1);
    send(2);
    send(3);
    const [one, two, three] = sent;
    assert.ok(one && two && three);
    assert.equal(latest.pending, true);
    const packet = (index: number) => ({ index, number: index + 1, interface: 'eth0', linkType: 'EN10MB', caplen: 0, len: 0, summary: '', bytes: new Uint8Array(0), layers: [], problems: [] });
    // The newest lands first, then the older ones: only the newest counts.
    answer({ type: 'packet', requestId: three.requestId, packet: packet(3) });
    answer({ type: 'packet', requestId: one.requestId, packet: packet(1) });
    answer({ type: 'requestError', requestId: two.requestId, message: 'late' });
    await settled();
    assert.deepEqual(got, ['reply 3']);
    assert.equal(latest.pending, false);
    // Cancelled: its reply is dropped as well.
    send(4);
    latest.cancel();
    answer({ type: 'packet', requestId: sent[3]!.requestId, packet: packet(4) });
    await settled();
    assert.deepEqual(got, ['reply 3']);
  });

  it('one in flight: asking meanwhile sends one more, from the state of then, once the reply lands', async () => {
    const { rpc, sent, answer } = harness();
    let endNs = 10;
    const got: number[] = [];
    const data = new OneInFlight<'timeline'>(
      rpc,
      () => ({ type: 'timeline', startNs: 0, endNs, resolution: 100, cpus: null, filter: {} }),
      (r) => got.push(r.data.endNs),
    );
    data.ask();
    endNs = 20;
    data.ask();
    endNs = 30;
    data.ask();
    assert.equal(sent.length, 1, 'one request out at a time');
    answer({ type: 'timeline', requestId: sent[0]!.requestId, data: { ...emptyData, endNs: 10 } });
    await settled();
    assert.deepEqual(got, [10]);
    assert.equal(sent.length, 2, 'one more for the asks made meanwhile');
    assert.equal((sent[1] as Extract<WebviewRequest, { type: 'timeline' }>).endNs, 30);
    // An error also frees the slot.
    data.ask();
    answer({ type: 'requestError', requestId: sent[1]!.requestId, message: 'worker busy' });
    await settled();
    assert.equal(sent.length, 3);
  });
});
