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

export class ServiceHost implements HostBehaviour {
  readonly timeline: TimelineService;
  readonly summary: TraceSummary;

  constructor(
    readonly service: TraceService,
    readonly trace: Trace,
    readonly fileName: string,
    timeline?: TimelineService,
  ) {
    this.timeline = timeline ?? new TimelineService(trace);
    this.summary = service.summary(fileName);
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
        const r = this.service.rows(msg.start, msg.count, msg.filter);
        await send({ type: 'rows', requestId: msg.requestId, total: r.total, start: msg.start, rows: r.rows });
        return;
      }
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
