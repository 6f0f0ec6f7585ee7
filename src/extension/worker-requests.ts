/**
 * Request/reply bookkeeping for a worker thread: a fresh `requestId` per request, the reply
 * matched by id (a `requestError` rejects it), every pending request rejected when the worker
 * exits. Shared by the trace document's worker and the source worker.
 */
import type { WorkerToHost } from '../protocol/worker-messages';

type Reply = Extract<WorkerToHost, { requestId: number }>;

interface Pending {
  readonly accept: (msg: Reply) => void;
  readonly reject: (err: Error) => void;
}

export class WorkerRequests {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /**
   * Sends a request built around a new id; resolves with `pick(reply)`. A reply of another
   * type than expected (a protocol bug) rejects rather than hanging.
   */
  request<T>(send: (requestId: number) => void, pick: (msg: Reply) => T | undefined): Promise<T> {
    const requestId = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(requestId, {
        accept: (msg) => {
          const v = pick(msg);
          if (v === undefined) reject(new Error(`unexpected ${msg.type} reply from the worker`));
          else resolve(v);
        },
        reject,
      });
      try {
        send(requestId);
      } catch (err) {
        this.pending.delete(requestId);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Routes a worker message; returns false when it is not a reply to a request. */
  settle(msg: WorkerToHost): boolean {
    if (!('requestId' in msg)) return false;
    const p = this.pending.get(msg.requestId);
    this.pending.delete(msg.requestId);
    if (!p) return true;
    if (msg.type === 'requestError') p.reject(new Error(msg.message));
    else p.accept(msg);
    return true;
  }

  rejectAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
