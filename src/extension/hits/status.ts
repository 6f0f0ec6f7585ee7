/**
 * Status bar entry while a trace is annotated: how many source lines carry its hits (and how
 * many events are ambiguous); a click focuses the Kernel Trace view, which sits collapsed at
 * the bottom of the Explorer when it first appears.
 */
import * as vscode from 'vscode';
import { plural } from './model';
import type { HitsStore } from './store';

export class HitsStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kernelTrace.hits', vscode.StatusBarAlignment.Left, 10);
  private readonly sub: vscode.Disposable;

  constructor(private readonly store: HitsStore) {
    this.item.name = 'Kernel Trace hits';
    this.item.command = 'kernelTrace.hits.focus';
    this.sub = store.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const state = this.store.activeState;
    const model = this.store.model;
    if (state?.kind === 'computing') {
      this.item.text = '$(sync~spin) Kernel Trace: mapping to source';
      this.item.tooltip = 'Mapping the events of the trace to kernel source lines';
    } else if (state?.kind === 'ready' && model) {
      let lines = 0;
      for (const m of model.byFile.values()) lines += m.size;
      const ambiguous = model.ambiguousEvents().filter((e) => e.picked === null).length;
      this.item.text = `$(pulse) ${plural(lines, 'source line')}${ambiguous > 0 ? ` $(warning) ${ambiguous}` : ''}`;
      this.item.tooltip = `${this.store.traceName ?? 'The trace'}: hits on ${plural(lines, 'line')} in ${plural(model.byFile.size, 'file')} under ${state.root.path}` +
        (ambiguous > 0 ? `; ${plural(ambiguous, 'event')} with an ambiguous name (several sites)` : '') +
        '. Click for the Kernel Trace view.';
    } else {
      this.item.hide();
      return;
    }
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
