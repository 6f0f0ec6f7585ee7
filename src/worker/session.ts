/**
 * The worker's loaded trace and what it builds over it on first use: the timeline's index,
 * the lifecycle analyses, an attached capture, the capture's findings. One per worker (one
 * worker per open document), made at the first snapshot of the file being read (or when
 * `open` succeeds for formats without one); `update` moves it to the trace read further.
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
    private current: Trace,
    /** The opened file's base name (findings name it). */
    readonly fileName: string,
  ) {}

  get trace(): Trace {
    return this.current;
  }

  /**
   * More of the file is read: everything built over the old trace (indexes, analyses, the
   * capture's findings) is dropped and built again over this one on next use. An attached
   * capture is only attached once reading ends (main.ts waits for the whole trace).
   */
  update(trace: Trace): void {
    this.current = trace;
    this.service.replace(trace);
    this.timelineService = null;
    this.lifecycleService = null;
    this.latencyService = null;
    this.findings = null;
  }

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
