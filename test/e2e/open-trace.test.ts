// The user's first step in every hunt: open a trace in VS Code and see it in the Kernel
// Trace Lens editor with the right number of events. Real VS Code (code-server), the real
// built extension (dist/), a real fixture from the sample workspace. The expected count
// comes from the CLI (`ktl stats --json`), the same core without VS Code, so this checks
// that the editor shows what the core computes, not a number copied into the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { REPO_ROOT, samplePath, withWorkbench, type Workbench } from './harness';

/** Relative to the sample workspace (sample/). */
const TRACE = 'traces/veth-ping.trace';
/** Webview DOM contract: `data-value` is the exact event count as a decimal integer. */
const SUMMARY_EVENTS = '#summary-events';
/** A text editor in the active editor group: what a trace must not open in. */
const ACTIVE_TEXT_EDITOR = '.editor-group-container.active .editor-container .monaco-editor';

function expectedEventCount(file: string): number {
  const cli = join(REPO_ROOT, 'dist/cli.js');
  assert.ok(existsSync(cli), `${cli} missing: run npm run build first`);
  const out = execFileSync(process.execPath, [cli, 'stats', file, '--json'], { encoding: 'utf8', timeout: 120_000 });
  let stats: { events?: unknown };
  try {
    stats = JSON.parse(out) as { events?: unknown };
  } catch (err) {
    throw new Error(`ktl stats --json did not print JSON: ${out.slice(0, 300)}`, { cause: err });
  }
  const events = stats.events;
  assert.ok(
    typeof events === 'number' && Number.isSafeInteger(events) && events > 0,
    `ktl stats --json: "events" should be a positive integer, got ${JSON.stringify(events)}`,
  );
  return events;
}

/** The extension id in the query of the webview iframe that (indirectly) contains `frame`. */
function webviewExtensionId(frame: Frame): string | undefined {
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

/**
 * The webview frame holding the summary. Fails after `timeoutMs`, or after 5 s of the file
 * sitting in a text editor instead (the custom editor is not the default, or did not open).
 */
async function summaryFrame(wb: Workbench, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  let textSince: number | undefined;
  for (;;) {
    try {
      return await wb.findFrame(SUMMARY_EVENTS, 500);
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
    if ((await wb.page.locator(ACTIVE_TEXT_EDITOR).count()) > 0) {
      textSince ??= Date.now();
      if (Date.now() - textSince >= 5_000) {
        throw new Error('the trace opened in a text editor, not in the Kernel Trace Lens editor');
      }
    } else {
      textSince = undefined;
    }
  }
}

/**
 * Reads `#summary-events[data-value]` until it equals `expected`, or has held another value
 * for `stableMs` (the count may fill in progressively while the trace loads, so one early
 * read is not enough; a wrong count that stays put fails fast), or `timeoutMs` passes.
 * Returns the last value seen.
 */
async function settledCount(
  wb: Workbench,
  frame: Frame,
  expected: number,
  timeoutMs: number,
  stableMs = 5_000,
): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  let current = frame;
  let last: string | null = null;
  let since = Date.now();
  for (;;) {
    let value: string | null;
    try {
      value = await current.getAttribute(SUMMARY_EVENTS, 'data-value', { timeout: 2_000 });
    } catch {
      // The webview reloaded (e.g. a theme change): find its frame again.
      current = await wb.findFrame(SUMMARY_EVENTS, Math.max(1_000, deadline - Date.now()));
      continue;
    }
    if (value !== last) {
      last = value;
      since = Date.now();
    }
    if (last === String(expected)) return last;
    if (last !== null && /^\d+$/.test(last) && Date.now() - since >= stableMs) return last;
    if (Date.now() >= deadline) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a .trace file opens in the Kernel Trace Lens editor and shows its event count', { timeout: 300_000 }, async () => {
  assert.ok(existsSync(join(REPO_ROOT, 'dist/extension.js')), 'dist/extension.js missing: run npm run build first');
  const file = samplePath(TRACE);
  assert.ok(existsSync(file), `fixture ${file} missing`);
  const expected = expectedEventCount(file);

  await withWorkbench('open-trace', async (wb) => {
    await wb.openFile(TRACE);

    // The custom editor is the default for *.trace: a webview of ours, not a text editor.
    const frame = await summaryFrame(wb, 60_000);
    assert.equal(webviewExtensionId(frame), 'kernel-trace-lens.kernel-trace-lens', 'the summary is not in our webview');
    await wb.waitForTab('veth-ping.trace');
    assert.equal(await wb.page.locator(ACTIVE_TEXT_EDITOR).count(), 0, 'a text editor is showing the trace');

    const value = await settledCount(wb, frame, expected, 60_000);
    await wb.screenshot('open-trace');
    assert.ok(value !== null, `${SUMMARY_EVENTS} has no data-value attribute`);
    assert.match(value, /^\d+$/, `${SUMMARY_EVENTS} data-value is not a decimal integer: ${JSON.stringify(value)}`);
    assert.equal(Number(value), expected, `the editor shows ${value} events, ktl stats says ${expected}`);
  }, { timeoutMs: 170_000 });
});
