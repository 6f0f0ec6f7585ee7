/**
 * The webview's side of the channel to the extension host: a typed postMessage, and the
 * persisted view state. `acquireVsCodeApi` is injected by VS Code and may be called only
 * once per page, so everything goes through the one Host instance made in main.ts.
 */
import type { WebviewToHost } from '../src/protocol/messages';
import { parseViewState, type ViewState } from './state';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** setState posts to the host; scrolling would call it every frame, so writes are batched. */
const STATE_WRITE_DELAY_MS = 200;

export class Host {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private state: ViewState = parseViewState(this.api.getState());
  private writeTimer: ReturnType<typeof setTimeout> | undefined;

  post(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  /** The state restored at load (or the initial state), then whatever was last saved. */
  getState(): ViewState {
    return this.state;
  }

  /** Merges into the saved state; written to VS Code after a short delay. */
  saveState(patch: Partial<Omit<ViewState, 'version'>>): void {
    this.state = { ...this.state, ...patch };
    if (this.writeTimer === undefined) {
      this.writeTimer = setTimeout(() => this.flushState(), STATE_WRITE_DELAY_MS);
    }
  }

  /** Writes now; also called on pagehide so the last scroll position is not lost. */
  flushState(): void {
    if (this.writeTimer !== undefined) clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    this.api.setState(this.state);
  }
}
