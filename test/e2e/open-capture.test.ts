// A pcapng capture (veth + bridge, several interfaces) opens in the Kernel Trace Lens editor by
// default, with the packet count `ktl stats` gives, and its table in Wireshark's packet-list
// shape at 800x900 (issue 12 item 4): No., Time, Source, Destination, Protocol, Length, Info,
// each row the worker's columns (an echo request reads as tshark's Info does), no column header
// over another, the Time format switched to UTC date-time. Real VS Code (code-server), the built
// extension, a real fixture captured on this machine, copied into a temp workspace outside the repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, withWorkbench } from './harness';
import { SUMMARY_EVENTS, assertBuilt, ktlStats, summaryCount, tempWorkspace, traceFrame } from './ktl-helpers';

const CAPTURE = 'bridge-multi.pcapng';

test('a pcapng capture opens in the trace editor with its packet count and the packet-list columns at 800x900', { timeout: 300_000 }, async () => {
  assertBuilt();
  const workspace = tempWorkspace('open-capture');
  try {
    copyFileSync(join(REPO_ROOT, 'sample/captures', CAPTURE), join(workspace, CAPTURE));
    const stats = ktlStats(join(workspace, CAPTURE));
    await withWorkbench(
      'open-capture',
      async (wb) => {
        await wb.openFile(CAPTURE);
        // The editor gets the window's 800 px (VS Code's own side bar closed), as half of a 1600 px screen.
        await wb.runCommand('View: Close Primary Side Bar');
        const frame = await traceFrame(wb, SUMMARY_EVENTS, 60_000);
        assert.equal(await frame.locator('#summary-format').innerText(), 'pcapng');
        assert.equal(await summaryCount(frame), stats.events);
        // Rows are packets in Wireshark's shape: an echo request's Info as tshark writes it (the
        // ICMP echoes brought into view with the filter bar, the table being a few rows tall).
        await frame.waitForSelector('#match-count[data-matched]', { timeout: 60_000 });
        const box = frame.locator('#filter-expr input');
        await box.click();
        await box.pressSequentially('icmp', { delay: 20 });
        await box.press('Enter');
        const cell = frame.locator('#event-table .ktl-row .c-info').getByText(/^Echo \(ping\) request id=0x[0-9a-f]{4}, seq=\d+\/\d+, ttl=\d+$/).first();
        await cell.waitFor({ state: 'visible', timeout: 20_000 });
        // Every column on screen: no sideways scrolling at 800 px.
        const widths = await frame.locator('.ktl-table').evaluate((t) => [t.scrollWidth, t.clientWidth]);
        assert.ok((widths[0] ?? 0) <= (widths[1] ?? 0) + 1, `the table scrolls sideways: ${widths.join(' > ')}`);
        const heads = await frame.locator('.ktl-head .ktl-cell').evaluateAll((cells) => cells.map((c) => {
          const r = c.getBoundingClientRect();
          return { text: (c as HTMLElement).innerText.trim(), left: r.left, right: r.right };
        }));
        assert.deepEqual(heads.map((h, k) => (k === 1 ? 'time' : h.text)), ['No.', 'time', 'Source', 'Destination', 'Protocol', 'Length', 'Info']);
        for (let k = 1; k < heads.length; k++) assert.ok((heads[k]?.left ?? 0) >= (heads[k - 1]?.right ?? 0) - 0.5, `header ${heads[k]?.text} over ${heads[k - 1]?.text}`);
        await wb.screenshot('open-capture-800');
        await frame.locator('#packet-time-mode').selectOption('absolute');
        await frame.locator('#event-table .c-time').getByText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6,9}$/).first().waitFor({ state: 'visible', timeout: 20_000 });
        await wb.screenshot('open-capture-800-utc');
      },
      { workspace, timeoutMs: 120_000, viewport: { width: 800, height: 900 } },
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true, maxRetries: 3 });
  }
});
