/**
 * The webview's request/reply layer (after microsoft/vscode-hexeditor's MessageHandler): every
 * request gets its id from one counter and a Promise of its reply; the reply (same `type`, same
 * `requestId`) or a `requestError` for that id settles exactly that Promise. No view numbers
 * its own requests or routes replies by id ranges.
 *
 * Two habits of the views on top of it: `Latest` (a new request supersedes the one before; a
 * superseded reply or error is dropped) and `OneInFlight` (at most one request out; asking
 * meanwhile sends one more, built from the state of then, when it lands).
 */
import type { HostToWebview, ReplyTo, RequestKind, WebviewRequest } from '../src/protocol/messages';

/** A request without its id: what a view asks for. */
export type RequestBody<K extends RequestKind = RequestKind> = K extends RequestKind ? Omit<Extract<WebviewRequest, { readonly type: K }>, 'requestId'> : never;

/** The host answered a request with `requestError`: the message says why. */
export class RequestError extends Error {}

interface Pending {
  readonly type: RequestKind;
  readonly resolve: (reply: HostToWebview) => void;
  readonly reject: (err: Error) => void;
}

export class Rpc {
  private lastId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (request: WebviewRequest) => void) {}

  /** A fresh id; for callers that keep the request themselves (the row cache's pages). */
  readonly nextId = (): number => ++this.lastId;

  /** Sends `body` with a fresh id; resolves with the reply, rejects with a RequestError. */
  request<B extends RequestBody>(body: B): Promise<ReplyTo<B['type']>> {
    return this.send({ ...body, requestId: this.nextId() } as unknown as WebviewRequest) as Promise<ReplyTo<B['type']>>;
  }

  /** Sends a request that already has its id (from nextId). */
  send<R extends WebviewRequest>(request: R): Promise<ReplyTo<R['type']>> {
    return new Promise<ReplyTo<R['type']>>((resolve, reject) => {
      this.pending.set(request.requestId, { type: request.type, resolve: resolve as (reply: HostToWebview) => void, reject });
      this.post(request);
    });
  }

  /**
   * Routes a host message: true when it is a reply (or requestError) with a request id, whether
   * a request was waiting for it or not (a reply nobody waits for is dropped); false otherwise.
   */
  settle(msg: HostToWebview): boolean {
    if (!('requestId' in msg)) return false;
    const p = this.pending.get(msg.requestId);
    if (!p) return true;
    this.pending.delete(msg.requestId);
    if (msg.type === 'requestError') p.reject(new RequestError(msg.message));
    else if (msg.type !== p.type) p.reject(new RequestError(`the extension answered a ${p.type} request with ${msg.type}`));
    else p.resolve(msg);
    return true;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Latest only: each `send` supersedes the request before it, whose reply or error is then dropped. */
export class Latest<K extends RequestKind> {
  private token = 0;
  private out = false;

  constructor(private readonly rpc: Rpc) {}

  /** A request is out and not superseded or cancelled. */
  get pending(): boolean {
    return this.out;
  }

  send(body: RequestBody<K>, onReply: (reply: ReplyTo<K>) => void, onError: (message: string) => void = () => undefined): void {
    const token = ++this.token;
    this.out = true;
    (this.rpc.request(body) as Promise<ReplyTo<K>>).then(
      (reply) => {
        if (token !== this.token) return;
        this.out = false;
        onReply(reply);
      },
      (err: unknown) => {
        if (token !== this.token) return;
        this.out = false;
        onError(messageOf(err));
      },
    );
  }

  /** Drops the request out, if any: its reply will not be delivered. */
  cancel(): void {
    this.token++;
    this.out = false;
  }
}

/**
 * At most one request in flight: `ask` sends at once when none is out, else notes that one
 * more is wanted; when the reply (or error) lands it is delivered, then the wanted request is
 * built by `make` from the state of then (null: nothing to ask).
 */
export class OneInFlight<K extends RequestKind> {
  private out = false;
  private wanted = false;

  constructor(
    private readonly rpc: Rpc,
    private readonly make: () => RequestBody<K> | null,
    private readonly onReply: (reply: ReplyTo<K>) => void,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  ask(): void {
    if (this.out) {
      this.wanted = true;
      return;
    }
    this.wanted = false;
    const body = this.make();
    if (!body) return;
    this.out = true;
    (this.rpc.request(body) as Promise<ReplyTo<K>>).then(
      (reply) => this.landed(() => this.onReply(reply)),
      (err: unknown) => this.landed(() => this.onError(messageOf(err))),
    );
  }

  private landed(deliver: () => void): void {
    this.out = false;
    deliver();
    if (this.wanted) this.ask();
  }
}
