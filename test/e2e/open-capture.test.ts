// A pcapng capture (veth + bridge, several interfaces) opens in the Kernel Trace Lens editor by
// default, with the packet count `ktl stats` gives and each packet summarised as text (a
// tcpdump-style line, not raw bytes). Real VS Code (code-server), the built extension, a real
// fixture captured on this machine, copied into a temp workspace outside the repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, withWorkbench } from './harness';
import { SUMMARY_EVENTS, assertBuilt, ktlStats, summaryCount, tempWorkspace, traceFrame } from './ktl-helpers';

const CAPTURE = 'bridge-multi.pcapng';

test('a pcapng capture opens in the trace editor with its packet count and readable rows', { timeout: 300_000 }, async () => {
  assertBuilt();
  const workspace = tempWorkspace('open-capture');
  try {
    copyFileSync(join(REPO_ROOT, 'test/fixtures/pcap', CAPTURE), join(workspace, CAPTURE));
    const stats = ktlStats(join(workspace, CAPTURE));
    await withWorkbench(
      'open-capture',
      async (wb) => {
        await wb.openFile(CAPTURE);
        const frame = await traceFrame(wb, SUMMARY_EVENTS, 60_000);
        assert.equal(await frame.locator('#summary-format').innerText(), 'pcapng');
        assert.equal(await summaryCount(frame), stats.events);
        // Rows show the packet summary (e.g. "fe80::... > ff02::2: ICMP6, router solicitation, length 16").
        const cell = frame.getByText(/ICMP6, router solicitation/).first();
        await cell.waitFor({ state: 'visible', timeout: 20_000 });
        await wb.screenshot('open-capture');
      },
      { workspace, timeoutMs: 120_000 },
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true, maxRetries: 3 });
  }
});
