/**
 * The worker's loaded trace and what it builds over it on first use: the timeline's index,
 * the lifecycle analyses, an attached capture, the capture's findings. One per worker (one
 * worker per open document), made when `open` succeeds.
 */
import type { EventRow, CaptureFinding } from '../protocol/messages';
import type { Trace } from '../core/trace/trace';
import type { TraceService } from './trace-service';
import { TimelineService } from './timeline-service';
import { LifecycleService } from './lifecycle-service';
import type { CaptureOverlay } from './capture-overlay';
import { LatencyService } from './query-service';

export class Session {
  private timelineService: TimelineService | null = null;
  private lifecycleService: LifecycleService | null = null;
  private latencyService: LatencyService | null = null;
  /** A capture drawn on the timeline, if one was attached. */
  overlay: CaptureOverlay | null = null;
  /** The capture's findings, computed once (the diagnostics and every editor of the document share them). */
  findings: Promise<{ findings: CaptureFinding[]; total: number }> | null = null;

  constructor(
    readonly service: TraceService,
    readonly trace: Trace,
    /** The opened file's base name (findings name it). */
    readonly fileName: string,
  ) {}

  get timeline(): TimelineService {
    return (this.timelineService ??= new TimelineService(this.trace));
  }

  get lifecycles(): LifecycleService {
    return (this.lifecycleService ??= new LifecycleService(this.trace));
  }

  get latency(): LatencyService {
    return (this.latencyService ??= new LatencyService(this.trace));
  }

  /** Event `i` as a table row. */
  readonly row = (i: number): EventRow => this.service.rows(i, 1, {}).rows[0] as EventRow;
}
