// A trace saved under a name that does not say "trace" (a flight recorder dump written to
// flight-recorder.txt) opens as plain text, like any .txt; "Kernel Trace: Open as Trace"
// from the command palette opens it in the Kernel Trace Lens editor, recognised by its
// content. The same command on a file that is not a trace (a README) shows why it cannot be
// read, in the editor, instead of an empty view. Real VS Code (code-server), the built
// extension, a real fixture copied into a temp workspace outside the repo; the expected
// count comes from `ktl stats` and the expected reason from `ktl stats`' own refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, samplePath, withWorkbench } from './harness';
import {
  ACTIVE_TEXT_EDITOR,
  CLI,
  EXTENSION_ID,
  assertBuilt,
  ktlStats,
  summaryCount,
  tempWorkspace,
  traceFrame,
  webviewExtensionId,
  SUMMARY_EVENTS,
} from './ktl-helpers';

const TRACE_AS_TXT = 'flight-recorder.txt';
const NOT_A_TRACE = 'README.md';
const COMMAND = 'Kernel Trace: Open as Trace';

test('"Kernel Trace: Open as Trace" opens a .txt trace in the trace editor and explains a non-trace', { timeout: 300_000 }, async () => {
  assertBuilt();
  const workspace = tempWorkspace('open-as');
  try {
    copyFileSync(samplePath('traces/seed004-fifo-break.trace'), join(workspace, TRACE_AS_TXT));
    copyFileSync(join(REPO_ROOT, 'README.md'), join(workspace, NOT_A_TRACE));
    const expected = ktlStats(join(workspace, TRACE_AS_TXT)).events;
    // ktl refuses the README (exit 2) with the reason the editor should show too.
    const refusal = spawnSync(process.execPath, [CLI, 'stats', join(workspace, NOT_A_TRACE), '--json'], { encoding: 'utf8' });
    assert.equal(refusal.status, 2, `ktl stats should refuse ${NOT_A_TRACE} with exit 2: ${refusal.stdout}${refusal.stderr}`);
    assert.match(refusal.stderr, /not a recognised trace/);

    await withWorkbench(
      'open-as-trace',
      async (wb) => {
        const page = wb.page;

        // 1. By default a .txt is text, even when its content is a trace.
        await wb.openFile(TRACE_AS_TXT);
        await page.locator(ACTIVE_TEXT_EDITOR).first().waitFor({ state: 'visible', timeout: 20_000 });
        await page
          .locator('.editor-group-container.active .view-line', { hasText: 'tracing_mark_write' })
          .first()
          .waitFor({ state: 'visible', timeout: 20_000 });
        assert.equal(await page.locator('.editor-group-container.active .tab.active .label-name').innerText(), TRACE_AS_TXT);

        // 2. The command opens the active file in the Kernel Trace Lens editor.
        await wb.runCommand(COMMAND);
        const frame = await traceFrame(wb, SUMMARY_EVENTS, 30_000);
        await wb.waitForTab(TRACE_AS_TXT);
        assert.equal(await frame.locator('#summary-file').innerText(), TRACE_AS_TXT, 'the trace editor shows another file');
        assert.equal(await frame.locator('#summary-format').innerText(), 'ftrace');
        const shown = await summaryCount(frame);
        await wb.screenshot('open-as-trace-txt');
        assert.equal(shown, expected, `the trace editor shows ${shown} events for ${TRACE_AS_TXT}, ktl stats says ${expected}`);

        // 3. On a README the editor says why it cannot read it.
        await wb.openFile(NOT_A_TRACE);
        await page.locator(ACTIVE_TEXT_EDITOR).first().waitFor({ state: 'visible', timeout: 20_000 });
        await wb.runCommand(COMMAND);
        const errFrame = await wb.findFrame('#load-error:not([hidden])', 30_000);
        assert.equal(webviewExtensionId(errFrame), EXTENSION_ID, 'the load error is not in a Kernel Trace Lens webview');
        const message = await errFrame.locator('#load-error').innerText();
        const label = await errFrame.locator('#loading-label').innerText();
        await wb.screenshot('open-as-trace-not-a-trace');
        assert.match(message, /not a recognised trace/, `the load error does not say why: ${JSON.stringify(message)}`);
        const squash = (t: string): string => t.replace(/\s+/g, ' ').trim();
        assert.ok(
          squash(refusal.stderr).includes(squash(message)),
          `the editor's reason differs from ktl's:\n  editor: ${squash(message)}\n  ktl:    ${squash(refusal.stderr)}`,
        );
        assert.match(label, /Could not open this trace/);
        assert.equal(await errFrame.locator('#summary-events').count(), 0, 'a summary is shown for a file that is not a trace');
        await wb.waitForTab(NOT_A_TRACE);
      },
      { workspace, timeoutMs: 120_000 },
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true, maxRetries: 3 });
  }
});
