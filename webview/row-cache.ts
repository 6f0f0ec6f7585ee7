/**
 * Pages of rows fetched from the host, for the current filter.
 *
 * The webview never holds the whole trace: it asks for fixed, aligned pages
 * (`PAGE_ROWS` rows starting at a multiple of `PAGE_ROWS`) around the viewport and keeps
 * the most recently used `MAX_CACHED_PAGES` of them. Every request carries a fresh
 * requestId; a reply is accepted only if its id is one we are waiting for under the
 * current filter generation, so a slow reply for an old filter or a page we gave up on
 * can never paint over the current view.
 */
import { MAX_PAGE_ROWS, type EventFilter, type RowSort, type EventRow, type WebviewToHost } from '../src/protocol/messages';
import { isEventRow } from './sanitize';

/** Rows per request: a few screens of rows, far below the host's MAX_PAGE_ROWS cap. */
export const PAGE_ROWS = Math.min(200, MAX_PAGE_ROWS);

/** 64 pages x 200 rows = 12,800 rows kept, a few MB at most. */
const MAX_CACHED_PAGES = 64;

/** Requests allowed in flight at once; dragging the scrollbar must not queue hundreds. */
const MAX_IN_FLIGHT = 4;

interface Pending {
  readonly page: number;
  readonly generation: number;
  /** The refresh count when asked: a reply from before a refresh is of a shorter trace. */
  readonly refreshes: number;
}

export type RowsRequest = Extract<WebviewToHost, { type: 'rows' }>;

export interface RowsReply {
  readonly requestId: number;
  readonly total: number;
  readonly start: number;
  readonly rows: readonly unknown[];
}

export class RowCache {
  /** page index -> rows; Map order doubles as least-recently-used order. */
  private readonly pages = new Map<number, readonly EventRow[]>();
  private readonly pending = new Map<number, Pending>();
  private readonly pendingPages = new Set<number>();
  /** Pages whose request failed under this generation; not retried until the filter changes. */
  private readonly failedPages = new Set<number>();
  /** Pages kept from before `refresh`: shown until their new rows come, asked for again. */
  private readonly stalePages = new Set<number>();
  private generation = 0;
  private refreshes = 0;
  private filter: EventFilter = {};
  private sort: RowSort | null = null;
  /** Rows matching the filter, from the latest accepted reply; null until one arrives. */
  total: number | null = null;
  lastError: string | null = null;
  /** Counts pages replaced after a refresh: rows already drawn from them are drawn again. */
  version = 0;

  constructor(
    private readonly send: (request: RowsRequest) => void,
    /** Request ids: the webview's one counter (rpc.ts), so they never collide with another view's. */
    private readonly nextId: () => number,
  ) {}

  /** Forget everything: a new filter (or a new trace). `knownTotal` skips the "…" phase. */
  reset(filter: EventFilter, knownTotal: number | null, sort: RowSort | null = null): void {
    this.generation++;
    this.pages.clear();
    this.pending.clear();
    this.pendingPages.clear();
    this.failedPages.clear();
    this.stalePages.clear();
    this.filter = filter;
    this.sort = sort;
    this.total = knownTotal;
    this.lastError = null;
  }

  /**
   * The same list, grown (more of the file was read): the cached pages stay on screen but are
   * asked for again (a row may have been completed, a filtered list has grown), so the view
   * neither flashes nor moves; pages still on their way are taken when they come (the first
   * screen must not wait for a reply that the next refresh would throw away) and asked again.
   * `knownTotal` null keeps the last total until a reply brings one.
   */
  refresh(knownTotal: number | null): void {
    this.refreshes++;
    this.failedPages.clear();
    for (const page of this.pages.keys()) this.stalePages.add(page);
    if (knownTotal !== null) this.total = knownTotal;
    this.lastError = null;
  }

  get(position: number): EventRow | undefined {
    const page = Math.floor(position / PAGE_ROWS);
    return this.pages.get(page)?.[position - page * PAGE_ROWS];
  }

  /** True if a request is out; the table shows "loading" rather than "no rows". */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Makes sure the pages covering [first, last] are cached or requested, nearest to
   * `focus` first, and marks them recently used. Rows beyond a known total are skipped.
   */
  ensure(first: number, last: number, focus: number): void {
    const lastRow = this.total === null ? last : Math.min(last, this.total - 1);
    if (lastRow < first && this.total !== null) return;
    const firstPage = Math.floor(Math.max(0, first) / PAGE_ROWS);
    const lastPage = Math.floor(Math.max(0, lastRow) / PAGE_ROWS);
    const focusPage = Math.floor(Math.max(0, focus) / PAGE_ROWS);
    const wanted: number[] = [];
    for (let p = firstPage; p <= lastPage; p++) wanted.push(p);
    wanted.sort((a, b) => Math.abs(a - focusPage) - Math.abs(b - focusPage));
    for (const page of wanted) {
      const rows = this.pages.get(page);
      if (rows) {
        this.pages.delete(page);
        this.pages.set(page, rows);
        if (!this.stalePages.has(page)) continue;
      }
      if (this.pendingPages.has(page) || this.failedPages.has(page)) continue;
      if (this.pending.size >= MAX_IN_FLIGHT) break;
      this.request(page);
    }
    this.evict(new Set(wanted));
  }

  private request(page: number): void {
    const requestId = this.nextId();
    this.pending.set(requestId, { page, generation: this.generation, refreshes: this.refreshes });
    this.pendingPages.add(page);
    this.send({ type: 'rows', requestId, start: page * PAGE_ROWS, count: PAGE_ROWS, filter: this.filter, ...(this.sort ? { sort: this.sort } : {}) });
  }

  private evict(keep: Set<number>): void {
    for (const page of this.pages.keys()) {
      if (this.pages.size <= MAX_CACHED_PAGES) break;
      if (keep.has(page)) continue;
      this.pages.delete(page);
      this.stalePages.delete(page);
    }
  }

  /** Takes a reply; returns false (and changes nothing) if it is stale or malformed. */
  accept(reply: RowsReply): boolean {
    const p = this.pending.get(reply.requestId);
    if (!p) return false;
    this.pending.delete(reply.requestId);
    if (p.generation !== this.generation) return false;
    this.pendingPages.delete(p.page);
    const before = p.refreshes !== this.refreshes;
    if (this.stalePages.delete(p.page) || before) this.version++;
    if (before) this.stalePages.add(p.page);
    if (reply.start !== p.page * PAGE_ROWS || reply.rows.length > PAGE_ROWS || !reply.rows.every(isEventRow)) {
      this.failedPages.add(p.page);
      this.lastError = 'The host sent a malformed page of rows.';
      return true;
    }
    // A reply from before a refresh counted a shorter trace: its total is not the list's.
    if (!before || this.total === null) this.total = reply.total;
    this.pages.set(p.page, reply.rows);
    return true;
  }

  /** Takes a requestError; returns false if it is for a request we no longer wait for. */
  fail(requestId: number, message: string): boolean {
    const p = this.pending.get(requestId);
    if (!p) return false;
    this.pending.delete(requestId);
    if (p.generation !== this.generation) return false;
    this.pendingPages.delete(p.page);
    this.failedPages.add(p.page);
    this.lastError = message;
    return true;
  }
}
