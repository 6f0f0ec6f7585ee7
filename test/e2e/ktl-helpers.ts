// Helpers shared by the e2e tests that drive the Kernel Trace Lens editor: the expected
// answers come from `ktl` (dist/cli.js, the same core without VS Code), throwaway workspaces
// live outside the repo, and the webview / workbench DOM is read through the contracts the
// extension documents (webview/summary.ts, loading.ts, event-table.ts, filters.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Frame } from 'playwright-core';
import { REPO_ROOT, type Workbench } from './harness';

export const CLI = join(REPO_ROOT, 'dist/cli.js');
export const EXTENSION_ID = 'kernel-trace-lens.kernel-trace-lens';

/** Webview DOM contract: `data-value` is the exact event count as a decimal integer. */
export const SUMMARY_EVENTS = '#summary-events';
/** A text editor in the active editor group. */
export const ACTIVE_TEXT_EDITOR = '.editor-group-container.active .editor-container .monaco-editor';

export interface KtlStats {
  format: string;
  events: number;
  eventCounts: Record<string, number>;
  errors: { line: number; offset: number; message: string }[];
}

export interface KtlEvent {
  event: string;
  line: number;
  fields: Record<string, unknown>;
}

/** Fails early, with the fix, when the extension has not been built. */
export function assertBuilt(): void {
  for (const f of ['dist/extension.js', 'dist/worker.js', 'dist/webview.js', 'dist/cli.js']) {
    assert.ok(existsSync(join(REPO_ROOT, f)), `${f} missing: run npm run build first`);
  }
}

/** `ktl stats FILE --json`, checked to have a positive integer event count. */
export function ktlStats(file: string, extraArgs: readonly string[] = []): KtlStats {
  let out: string;
  try {
    out = execFileSync(process.execPath, [CLI, 'stats', file, '--json', ...extraArgs], {
      encoding: 'utf8',
      timeout: 180_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    // Exit 4: ktl read the file but some of it not (reported on stderr); the JSON covers the rest.
    const e = err as { status?: number; stdout?: string };
    if (e.status !== 4 || typeof e.stdout !== 'string') throw err;
    out = e.stdout;
  }
  let stats: KtlStats;
  try {
    stats = JSON.parse(out) as KtlStats;
  } catch (err) {
    throw new Error(`ktl stats --json did not print JSON: ${out.slice(0, 300)}`, { cause: err });
  }
  assert.ok(
    typeof stats.events === 'number' && Number.isSafeInteger(stats.events) && stats.events > 0,
    `ktl stats --json ${file}: "events" should be a positive integer, got ${JSON.stringify(stats.events)}`,
  );
  return stats;
}

/** The first `limit` events named `event` in `file`, per `ktl events FILE --json --event NAME --limit N`. */
export function ktlEvents(file: string, event: string, limit: number): KtlEvent[] {
  const out = execFileSync(process.execPath, [CLI, 'events', file, '--json', '--event', event, '--limit', String(limit)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const events = out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as KtlEvent);
  assert.equal(events.length, limit, `ktl events: expected ${limit} ${event} events in ${file}, got ${events.length}`);
  for (const ev of events) {
    assert.equal(ev.event, event);
    assert.ok(Number.isSafeInteger(ev.line) && ev.line > 0, `ktl events: bad line ${JSON.stringify(ev.line)}`);
  }
  return events;
}

/** A fresh folder under the system temp dir (never inside the repo) for a test's workspace. */
export function tempWorkspace(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ktl-e2e-${prefix}-`));
}

/** The extension id in the query of the webview iframe that (indirectly) contains `frame`. */
export function webviewExtensionId(frame: Frame): string | undefined {
  for (let f: Frame | null = frame; f !== null; f = f.parentFrame()) {
    try {
      const id = new URL(f.url()).searchParams.get('extensionId');
      if (id) return id;
    } catch {
      // about:blank and friends
    }
  }
  return undefined;
}

/** Finds the frame of our webview holding `selector`, and checks that it is ours. */
export async function traceFrame(wb: Workbench, selector: string, timeoutMs: number): Promise<Frame> {
  const frame = await wb.findFrame(selector, timeoutMs);
  assert.equal(webviewExtensionId(frame), EXTENSION_ID, `${selector} is not in a Kernel Trace Lens webview`);
  return frame;
}

/** `#summary-events[data-value]` as a number (the summary is drawn once, when loading ends). */
export async function summaryCount(frame: Frame): Promise<number> {
  const value = await frame.getAttribute(SUMMARY_EVENTS, 'data-value', { timeout: 5_000 });
  assert.ok(value !== null, `${SUMMARY_EVENTS} has no data-value attribute`);
  assert.match(value, /^\d+$/, `${SUMMARY_EVENTS} data-value is not a decimal integer: ${JSON.stringify(value)}`);
  return Number(value);
}

/** The cursor position the status bar shows for the active editor (`Ln X, Col Y`), or null. */
export async function statusBarCursor(wb: Workbench): Promise<{ line: number; col: number } | null> {
  const text = await wb.page.locator('.part.statusbar').innerText({ timeout: 5_000 });
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), col: Number(m[2]) } : null;
}

/** Polls `fn` until it returns a value that is not undefined, or throws `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, lastError === undefined ? undefined : { cause: lastError });
    }
    await sleep(200);
  }
}

/**
 * Opens the command palette, types `title` and waits for it to be listed, then closes the
 * palette without running anything. Returns how long the listing took (ms).
 */
export async function paletteLists(wb: Workbench, title: string, timeoutMs: number): Promise<number> {
  const page = wb.page;
  const widget = page.locator('.quick-input-widget');
  const started = Date.now();
  // Give the keyboard to the workbench (a focused webview would swallow F1), as harness.ts does.
  await page.locator('.part.statusbar').click({ position: { x: 2, y: 2 }, timeout: timeoutMs });
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first()
    .waitFor({ state: 'visible', timeout: Math.max(1, started + timeoutMs - Date.now()) });
  const elapsed = Date.now() - started;
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden', timeout: 5_000 });
  return elapsed;
}
