/**
 * What shows before the summary: progress while the host parses the file, or the reason
 * it could not (loadError). Messages are host text and may quote the file: textContent.
 * Once the summary of what is read so far arrives, the progress stays as a strip above the
 * views (`reading`) until the whole file is read.
 */
import type { VscodeProgressBar } from '@vscode-elements/elements/dist/vscode-progress-bar/vscode-progress-bar.js';
import { el, setText } from './dom';
import { formatBytes } from './format';

export class LoadingView {
  readonly element = el('div', 'ktl-loading');
  private readonly bar = el('vscode-progress-bar') as VscodeProgressBar;
  private readonly label = el('div', 'ktl-loading-label', 'Reading trace…');
  private readonly error = el('div', 'ktl-load-error');

  constructor() {
    this.element.id = 'loading';
    this.label.id = 'loading-label';
    this.label.setAttribute('role', 'status');
    this.error.id = 'load-error';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.bar.setAttribute('aria-label', 'Reading trace');
    this.element.append(this.bar, this.label, this.error);
  }

  progress(bytesRead: number, totalBytes: number): void {
    if (totalBytes > 0 && Number.isFinite(bytesRead)) {
      const done = Math.min(Math.max(bytesRead, 0), totalBytes);
      this.bar.max = totalBytes;
      this.bar.value = done;
      const pct = Math.floor((done / totalBytes) * 100);
      const shown = this.element.classList.contains('ktl-loading-strip') ? ' — showing what is read so far' : '';
      setText(this.label, `Reading trace… ${pct}% (${formatBytes(done)} of ${formatBytes(totalBytes)})${shown}`);
      this.element.dataset.percent = String(pct);
    } else {
      setText(this.label, `Reading trace… ${formatBytes(bytesRead)}`);
    }
  }

  /** The views show the first `bytesRead` bytes; the progress becomes a strip above them. */
  reading(bytesRead: number, totalBytes: number): void {
    this.element.classList.add('ktl-loading-strip');
    this.element.hidden = false;
    this.progress(bytesRead, totalBytes);
  }

  fail(message: string): void {
    this.element.classList.remove('ktl-loading-strip');
    this.bar.hidden = true;
    setText(this.label, 'Could not open this trace.');
    setText(this.error, message);
    this.error.hidden = false;
    this.element.hidden = false;
  }

  hide(): void {
    this.element.classList.remove('ktl-loading-strip');
    this.element.hidden = true;
  }
}
