// bpftrace column output (a printf() with a header line, no key=value pairs) is not a trace
// by itself; with the workspace's .vscode/kernel-trace.json giving the printf pattern, "Open as
// Trace" reads it as printf events, the same count `ktl stats --config` gives. Real VS Code
// (code-server), the built extension, the real fixture and config copied into a temp workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, withWorkbench } from './harness';
import { ACTIVE_TEXT_EDITOR, assertBuilt, ktlStats, summaryCount, tempWorkspace, traceFrame, SUMMARY_EVENTS } from './ktl-helpers';

const FILE = 'net-columns.txt';

test('a printf pattern in .vscode/kernel-trace.json makes bpftrace column output open as a trace', { timeout: 300_000 }, async () => {
  assertBuilt();
  const workspace = tempWorkspace('printf');
  try {
    copyFileSync(join(REPO_ROOT, 'test/fixtures/printf/bpftrace-net-columns.txt'), join(workspace, FILE));
    mkdirSync(join(workspace, '.vscode'));
    const config = join(workspace, '.vscode', 'kernel-trace.json');
    copyFileSync(join(REPO_ROOT, 'test/fixtures/models/printf-columns.json'), config);
    const expected = ktlStats(join(workspace, FILE), ['--config', config]);
    assert.equal(expected.format, 'printf');
    assert.ok(expected.events > 0);

    await withWorkbench(
      'printf-pattern',
      async (wb) => {
        await wb.openFile(FILE);
        await wb.page.locator(ACTIVE_TEXT_EDITOR).first().waitFor({ state: 'visible', timeout: 20_000 });
        await wb.runCommand('Kernel Trace: Open as Trace');
        const frame = await traceFrame(wb, SUMMARY_EVENTS, 30_000);
        assert.equal(await frame.locator('#summary-format').innerText(), 'printf');
        const shown = await summaryCount(frame);
        // The pattern's columns fill the table: the first row's event is the bpftrace probe name.
        await frame.locator('.ktl-row', { hasText: 'tracepoint:net:net_dev_queue' }).first().waitFor({ state: 'visible', timeout: 20_000 });
        await wb.screenshot('printf-pattern');
        assert.equal(shown, expected.events, `the trace editor shows ${shown} events, ktl stats --config says ${expected.events}`);
      },
      { workspace, timeoutMs: 120_000 },
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true, maxRetries: 3 });
  }
});
