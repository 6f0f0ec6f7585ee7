/**
 * The extension host and its worker as a webview test plays them: the summary on `ready`, pages
 * of rows and timeline queries answered by the real services (TraceService, TimelineService) over
 * a real trace. Tests with more to answer (fd views, packets, lifecycles, a capture overlay)
 * extend it and override `answer` for their messages, calling `super.answer` for the rest.
 */
import type { EventRow, HostToWebview, TraceSummary, WebviewToHost } from '../../src/protocol/messages';
import type { Trace } from '../../src/core/trace/trace';
import type { TraceService } from '../../src/worker/trace-service';
import { TimelineService } from '../../src/worker/timeline-service';
import type { HostBehaviour } from './harness';
import { checkQuery, findRow, LatencyService, positionOf } from '../../src/worker/query-service';

export class ServiceHost implements HostBehaviour {
  readonly timeline: TimelineService;
  readonly summary: TraceSummary;
  private readonly latency: LatencyService;

  constructor(
    readonly service: TraceService,
    readonly trace: Trace,
    readonly fileName: string,
    timeline?: TimelineService,
  ) {
    this.timeline = timeline ?? new TimelineService(trace);
    this.summary = service.summary(fileName);
    this.latency = new LatencyService(trace);
  }

  /** Event `i` as a table row, as the worker gives it. */
  readonly row = (i: number): EventRow => this.service.rows(i, 1, {}).rows[0] as EventRow;

  async onMessage(msg: WebviewToHost, send: (m: HostToWebview) => Promise<void>): Promise<void> {
    try {
      await this.answer(msg, send);
    } catch (err) {
      if ('requestId' in msg) await send({ type: 'requestError', requestId: msg.requestId, message: (err as Error).message });
      else throw err;
    }
  }

  protected async answer(msg: WebviewToHost, send: (m: HostToWebview) => Promise<void>): Promise<void> {
    switch (msg.type) {
      case 'ready':
        await send({ type: 'summary', summary: this.summary });
        return;
      case 'rows': {
        const r = this.service.rows(msg.start, msg.count, msg.filter, msg.sort);
        await send({ type: 'rows', requestId: msg.requestId, total: r.total, start: msg.start, rows: r.rows });
        return;
      }
      // Filter expressions, find, latency: the worker's own functions (webview-handlers.ts).
      case 'checkQuery':
        await send({ type: 'checkQuery', requestId: msg.requestId, problem: checkQuery(this.trace, msg.expr) });
        return;
      case 'find': {
        const problem = checkQuery(this.trace, msg.expr);
        const hit = problem ? null : findRow(this.trace, this.service.list(msg.filter, msg.sort), msg.expr, msg.text, msg.from, msg.direction);
        await send({ type: 'find', requestId: msg.requestId, position: hit?.position ?? null, index: hit?.index ?? null, problem });
        return;
      }
      case 'positionOf':
        await send({ type: 'positionOf', requestId: msg.requestId, position: positionOf(this.trace, this.service.list(msg.filter, msg.sort), msg.index) });
        return;
      case 'latency':
        await send({ type: 'latency', requestId: msg.requestId, data: this.latency.latency(msg) });
        return;
      case 'latencyInstances':
        await send({ type: 'latencyInstances', requestId: msg.requestId, ...this.latency.instances(msg, msg.loNs, msg.hiNs) });
        return;
      case 'timeline':
      case 'timelineRange':
      case 'rangeStats':
      case 'eventAt':
        await send(this.timeline.answer(msg, this.row));
        return;
      default:
        return;
    }
  }
}
