/**
 * Buffered stdout writer that respects back-pressure (a 10 M-line `ktl events` must not queue
 * gigabytes in memory) and ends quietly when the reader goes away (`ktl events F | head`).
 */
import type { Writable } from 'node:stream';

const FLUSH_BYTES = 1 << 16;

export class Output {
  private parts: string[] = [];
  private size = 0;
  private closed = false;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly stream: Writable) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.closed = true;
      else throw err;
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  line(text: string): void {
    if (this.closed) return;
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= FLUSH_BYTES) this.flush();
  }

  /** Resolves when the stream has drained; callers producing many lines await it now and then. */
  drained(): Promise<void> {
    return this.pending;
  }

  async end(): Promise<void> {
    this.flush();
    await this.pending;
  }

  private flush(): void {
    if (this.size === 0 || this.closed) return;
    const data = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(data)) {
      this.pending = new Promise((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
      });
    }
  }
}
