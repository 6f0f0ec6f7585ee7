/**
 * The worker's answer to each kind of webview request (protocol `WebviewRequest`), one entry
 * per kind: the table's type makes a request kind without a handler a compile error. The host
 * forwards requests as they came (after the guard) with a RequestContext; a handler that throws
 * becomes a `requestError` for that request (main.ts).
 */
import { MAX_PAGE_ROWS, type ReplyTo, type RequestKind, type WebviewReply, type WebviewRequest } from '../protocol/messages';
import type { RequestContext } from '../protocol/worker-messages';
import type { Session } from './session';
import { fdSummaries } from './fd-service';
import { captureFindings, packetDetails } from './packet-service';
import { packetJourney } from './journey-service';
import { checkQuery, findRow, positionOf } from './query-service';
import { QueryError } from '../core/query/parse';

type RequestOf<K extends RequestKind> = Extract<WebviewRequest, { readonly type: K }>;
type Handler<K extends RequestKind> = (request: RequestOf<K>, session: Session, context: RequestContext) => ReplyTo<K> | Promise<ReplyTo<K>>;

/** A service answering several kinds returns their union; this checks it answered this one. */
function sameKind<K extends RequestKind>(request: { readonly type: K }, reply: WebviewReply): ReplyTo<K> {
  if (reply.type !== request.type) throw new Error(`${request.type} was answered with ${reply.type}`);
  return reply as ReplyTo<K>;
}

function timeline(request: RequestOf<'timeline' | 'timelineRange' | 'rangeStats' | 'eventAt'>, s: Session): WebviewReply {
  const answer = s.timeline.answer(request, s.row);
  // An attached capture's interfaces ride along as extra tracks.
  return answer.type === 'timeline' && s.overlay ? { ...answer, data: s.overlay.addTracks(answer.data) } : answer;
}

function lifecycle(request: RequestOf<'lifecycleModels' | 'lifecycle' | 'lifecycleLanes' | 'flightRecorder' | 'interleave'>, s: Session, context: RequestContext): WebviewReply {
  return s.lifecycles.answer(request, context.models ?? null, s.row);
}

export const WEBVIEW_HANDLERS: { readonly [K in RequestKind]: Handler<K> } = {
  rows: (r, s) => ({ type: 'rows', requestId: r.requestId, start: r.start, ...s.service.rows(r.start, Math.min(r.count, MAX_PAGE_ROWS), r.filter, r.sort) }),
  checkQuery: (r, s) => ({ type: 'checkQuery', requestId: r.requestId, problem: checkQuery(s.trace, r.expr) }),
  find: (r, s) => {
    const problem = checkQuery(s.trace, r.expr);
    if (problem) return { type: 'find', requestId: r.requestId, position: null, index: null, problem };
    try {
      const hit = findRow(s.trace, s.service.list(r.filter, r.sort), r.expr, r.text, r.from, r.direction);
      return { type: 'find', requestId: r.requestId, position: hit?.position ?? null, index: hit?.index ?? null, problem: null };
    } catch (err) {
      // The table's own filter expression is wrong: say so where the find box shows problems.
      if (err instanceof QueryError) return { type: 'find', requestId: r.requestId, position: null, index: null, problem: { message: err.message, column: err.column } };
      throw err;
    }
  },
  positionOf: (r, s) => ({ type: 'positionOf', requestId: r.requestId, position: positionOf(s.trace, s.service.list(r.filter, r.sort), r.index) }),
  latency: (r, s) => ({ type: 'latency', requestId: r.requestId, data: s.latency.latency(r) }),
  latencyInstances: (r, s) => ({ type: 'latencyInstances', requestId: r.requestId, ...s.latency.instances(r, r.loNs, r.hiNs) }),
  timeline: (r, s) => sameKind(r, timeline(r, s)),
  timelineRange: (r, s) => sameKind(r, timeline(r, s)),
  rangeStats: (r, s) => sameKind(r, timeline(r, s)),
  eventAt: (r, s) => sameKind(r, timeline(r, s)),
  fds: (r, s) => ({ type: 'fds', requestId: r.requestId, ...fdSummaries(s.trace) }),
  packet: (r, s) => ({ type: 'packet', requestId: r.requestId, packet: packetDetails(s.trace, r.index) }),
  findings: async (r, s, c) => {
    s.findings ??= captureFindings(s.trace, s.fileName, c.captures ?? []);
    return { type: 'findings', requestId: r.requestId, ...(await s.findings) };
  },
  journey: async (r, s, c) => ({ type: 'journey', requestId: r.requestId, ...(await packetJourney(s.trace, r.index, c.name ?? s.fileName, c.captures ?? [])) }),
  lifecycleModels: (r, s, c) => sameKind(r, lifecycle(r, s, c)),
  lifecycle: (r, s, c) => sameKind(r, lifecycle(r, s, c)),
  lifecycleLanes: (r, s, c) => sameKind(r, lifecycle(r, s, c)),
  flightRecorder: (r, s, c) => sameKind(r, lifecycle(r, s, c)),
  interleave: (r, s, c) => sameKind(r, lifecycle(r, s, c)),
};

/**
 * The kinds answered over the part of the file read so far (the first screen while reading:
 * the table, the find box, the timeline); the other kinds are analyses of the whole trace
 * (latency, fds, findings, journeys, lifecycles) and wait until reading ends (main.ts).
 */
export const ANSWERED_WHILE_READING: ReadonlySet<RequestKind> = new Set<RequestKind>(['rows', 'checkQuery', 'find', 'positionOf', 'timeline', 'timelineRange', 'rangeStats', 'eventAt', 'packet']);

/** Answers one webview request over the loaded trace (throws what the handler throws). */
export async function answerWebview(request: WebviewRequest, session: Session, context: RequestContext): Promise<WebviewReply> {
  // The table pairs each kind with its handler; indexing it by a union loses that pairing.
  const handler = WEBVIEW_HANDLERS[request.type] as (r: WebviewRequest, s: Session, c: RequestContext) => WebviewReply | Promise<WebviewReply>;
  return handler(request, session, context);
}
