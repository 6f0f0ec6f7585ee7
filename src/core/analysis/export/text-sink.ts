/**
 * Where text exports go: a sink that takes chunks (core/io writes them to a file, tests keep
 * them), and a batcher that joins many small lines into chunks of about 1 MiB so a 10 M-event
 * export makes a few thousand writes, never one string of the whole output.
 */

export interface TextSink {
  /** Called with each chunk in order; the next chunk waits for the returned promise. */
  write(chunk: string): void | Promise<void>;
}

const CHUNK_CHARS = 1 << 20;

export class TextBatcher {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly sink: TextSink) {}

  /** Adds text; writes a chunk when enough has gathered (await it to respect back-pressure). */
  async push(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.sink.write(chunk);
  }
}
