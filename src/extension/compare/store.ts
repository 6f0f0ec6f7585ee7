/**
 * The comparison shown last (Compare with…): both traces' names, the source root the hits were
 * mapped under, and the per-line before/after hit counts that the gutter, the hover and the
 * Kernel Trace view show (`5 → 0 hits`). One comparison at a time; a new one replaces it.
 */
import * as vscode from 'vscode';
import type { TraceDiff } from '../../core/analysis/diff/trace-diff';
import { hitsDiffByLine, type HitsDiffRow } from '../../core/analysis/diff/hits-diff';

export interface Comparison {
  readonly diff: TraceDiff;
  /** Absolute source root the hits' files are relative to; null when no source tree was set. */
  readonly root: string | null;
}

export class CompareStore implements vscode.Disposable {
  private current: Comparison | null = null;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;

  get comparison(): Comparison | null {
    return this.current;
  }

  set(c: Comparison | null): void {
    this.current = c;
    this.changeEmitter.fire();
  }

  /** Line -> before/after hits for `relFile` (relative to the root, `/` separators). */
  lines(relFile: string): Map<number, { a: number; b: number }> {
    const rows = this.current?.diff.lines;
    return rows ? hitsDiffByLine(rows, relFile) : new Map();
  }

  /** The rows whose count changed, biggest change first (the diff is sorted so). */
  changed(limit: number): HitsDiffRow[] {
    return (this.current?.diff.lines ?? []).filter((r) => r.diff !== 0).slice(0, limit);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}

/** `5 → 0 hits`. */
export function beforeAfter(a: number, b: number): string {
  return `${a} → ${b} hit${b === 1 ? '' : 's'}`;
}
