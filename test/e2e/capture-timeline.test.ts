// "Kernel Trace: Add Capture to Timeline" in the real VS Code (code-server, the built
// extension): with the bridge run's trace open (test/fixtures/pcap/bridge-net.trace, recorded
// with bridge-multi.pcapng), the command offers the workspace's captures, the trace's worker
// reads the one picked, and the timeline shows its interfaces under the CPUs with the clock
// offset `ktl align` estimates for the same two files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, withWorkbench } from './harness';
import { CLI, assertBuilt, tempWorkspace, traceFrame, SUMMARY_EVENTS } from './ktl-helpers';

const TRACE = 'bridge-net.trace';
const CAPTURE = 'bridge-multi.pcapng';

test('a capture added to the trace timeline: its interfaces as tracks, the offset ktl align estimates', { timeout: 300_000 }, async () => {
  assertBuilt();
  const workspace = tempWorkspace('capture-timeline');
  try {
    copyFileSync(join(REPO_ROOT, 'test/fixtures/pcap', TRACE), join(workspace, TRACE));
    copyFileSync(join(REPO_ROOT, 'test/fixtures/pcap', CAPTURE), join(workspace, CAPTURE));
    const align = JSON.parse(execFileSync(process.execPath, [CLI, 'align', join(workspace, TRACE), join(workspace, CAPTURE), '--json'], { encoding: 'utf8' })) as { offsetNs: string; method: string; matches: number };
    assert.equal(align.method, 'events');
    const stats = JSON.parse(execFileSync(process.execPath, [CLI, 'stats', join(workspace, CAPTURE), '--json'], { encoding: 'utf8' })) as { interfaces: { name: string }[] };

    await withWorkbench(
      'capture-timeline',
      async (wb) => {
        await wb.openFile(TRACE);
        const frame = await traceFrame(wb, SUMMARY_EVENTS, 30_000);
        await wb.runCommand('Kernel Trace: Add Capture to Timeline');
        const input = wb.page.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill(CAPTURE);
        await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: CAPTURE }).first().waitFor({ state: 'visible', timeout: 10_000 });
        await wb.page.keyboard.press('Enter');
        const label = frame.locator('#capture-offset-label');
        await label.waitFor({ state: 'visible', timeout: 30_000 });
        assert.equal(await label.getAttribute('data-offset-ns'), align.offsetNs);
        assert.match(await label.innerText(), new RegExp(`estimated from ${align.matches} matching events`));
        const labels = await frame.locator('.ktl-tl-label.ktl-tl-capture').allInnerTexts();
        assert.deepEqual(labels, stats.interfaces.map((i) => i.name));
        await wb.screenshot('capture-timeline');
      },
      { workspace, timeoutMs: 120_000 },
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true, maxRetries: 3 });
  }
});
