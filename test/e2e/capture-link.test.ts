// Seed 001's hunt from the trace's side in the sample workspace (issue 12 item 4), in an 800x900
// window: the bridge run's trace open, Add Capture to Timeline with the capture recorded with it,
// a packet mark clicked -> the capture opens in the side group with that packet selected (its
// row and its details); another mark -> the same editor selects the other packet; at most two
// editor groups and the trace editor's width unchanged throughout. Then a capture with findings
// (host-a.pcap): double-clicking a finding's row in the Problems view selects its packet (VS
// Code hands custom editors no selection; src/extension/capture-diagnostics.ts says how).
// Screenshots of every step go to test-output/e2e/capture-link-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Frame } from 'playwright-core';
import { samplePath, withWorkbench, type Workbench } from './harness';
import { CLI, SUMMARY_EVENTS, assertBuilt, traceFrame, waitFor } from './ktl-helpers';
import { editorGroups, shownWebviews, traceGroup } from './window-layout';

const TRACE = 'traces/bridge-net.trace';
const TRACE_NAME = 'bridge-net.trace';
const CAPTURE = 'bridge-multi.pcapng';
const FINDINGS_CAPTURE = 'captures/host-a.pcap';
/** VS Code polls webview focus every 250 ms; let the active group settle after a click. */
const SETTLE_MS = 1_000;

interface KtlFinding {
  kind: string;
  packet?: number;
  message: string;
}

/** x positions (CSS px on the canvas) of painted marks on track `row`'s marks lane, one per run of painted pixels. */
async function paintedMarks(frame: Frame, row: number): Promise<number[]> {
  return frame.locator('#timeline-canvas').evaluate((c, r) => {
    const canvas = c as HTMLCanvasElement;
    const trackPx = Number(canvas.dataset.trackPx);
    // The marks lane's middle: under the 12 px slices lane, after half the 6 px gap (timeline.ts).
    const y = r * trackPx + 3 + 12 + 1 + (trackPx - 6 - 12) / 2;
    const dpr = canvas.width / canvas.clientWidth;
    const px = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, Math.round(y * dpr), canvas.width, 1).data;
    const xs: number[] = [];
    let start = -1;
    for (let i = 0; i <= canvas.width; i++) {
      const on = i < canvas.width && (px[i * 4 + 3] as number) > 200;
      if (on && start < 0) start = i;
      if (!on && start >= 0) {
        xs.push((start + i - 1) / 2 / dpr);
        start = -1;
      }
    }
    return xs;
  }, row);
}

/** The capture editor's frame showing packet `n` selected: its details drawn, its table row selected. */
async function packetSelected(wb: Workbench, file: string, n: number, timeoutMs: number): Promise<Frame> {
  return waitFor(`${file}: packet ${n} selected`, timeoutMs, async () => {
    for (const f of wb.page.frames()) {
      if (f.isDetached()) continue;
      try {
        if ((await f.locator('#summary-file').count()) === 0 || (await f.locator('#summary-file').innerText({ timeout: 1_000 })).trim() !== file) continue;
        if ((await f.locator(`#packet-details[data-packet="${n}"] #packet-tree [role=treeitem]`).count()) === 0) continue;
        const row = await f.locator('#event-table .ktl-row[aria-selected="true"]:not([hidden])').first().getAttribute('data-line', { timeout: 1_000 });
        if (row === String(n)) return f;
      } catch {
        // a frame navigating or detaching: the next round
      }
    }
    return undefined;
  });
}

test('seed 001 at half width: a packet mark opens its packet in the capture beside the trace; a Problems entry selects its packet', { timeout: 600_000 }, async () => {
  assertBuilt();
  const findings = execFileSync(process.execPath, [CLI, 'findings', samplePath(FINDINGS_CAPTURE), samplePath('captures/bridge-multi.pcapng'), samplePath('captures/host-b-egress-only.pcap'), '--json'], { encoding: 'utf8', timeout: 60_000 })
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as KtlFinding & { file: string })
    .filter((f) => f.file === samplePath(FINDINGS_CAPTURE) && f.packet !== undefined);
  const lengthLie = findings.find((f) => f.kind === 'ip-length-exceeds');
  assert.equal(lengthLie?.packet, 64, 'host-a.pcap: packet 64 says 84 bytes and holds 80');
  const other = findings.find((f) => f.packet !== 64);
  assert.ok(other?.packet, 'host-a.pcap has a finding about another packet');

  await withWorkbench(
    'capture-link',
    async (wb) => {
      const page = wb.page;
      let step = 0;
      let width: number | null = null;
      /** At most two groups, the trace editor drawn in the first at the width it had once the side group existed. */
      const check = async (what: string): Promise<string> => {
        await sleep(SETTLE_MS);
        const shot = await wb.screenshot(`capture-link-${++step}-${what}`);
        const groups = await editorGroups(page);
        assert.ok(groups.length <= 2, `${what}: ${groups.length} editor groups (${groups.map((g) => g.tabs.join('|')).join(' ; ')}); see ${shot}`);
        if (groups.length === 2) {
          const tg = traceGroup(groups, await shownWebviews(page), TRACE_NAME);
          const w = tg.right - tg.left;
          width ??= w;
          assert.ok(Math.abs(w - width) <= 2, `${what}: the trace editor is ${w} px wide, was ${width} px; see ${shot}`);
          assert.equal(tg.left, Math.min(...groups.map((g) => g.left)), `${what}: the trace editor left the first group; see ${shot}`);
        }
        return shot;
      };

      await wb.runCommand('View: Close Primary Side Bar');
      await wb.openFile(TRACE);
      const frame = await traceFrame(wb, SUMMARY_EVENTS, 90_000);
      await check('trace');

      // Add Capture to Timeline, the capture recorded with the trace.
      await wb.runCommand('Kernel Trace: Add Capture to Timeline');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(CAPTURE);
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: CAPTURE }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.press('Enter');
      await frame.locator('#capture-offset-label').waitFor({ state: 'visible', timeout: 60_000 });
      await frame.locator('#timeline-canvas[data-links]:not([data-links=""]):not([data-links="0"])').waitFor({ state: 'attached', timeout: 30_000 });
      const labels = await frame.locator('.ktl-tl-label').allInnerTexts();
      const captureRows = (await frame.locator('.ktl-tl-label').evaluateAll((ls) => ls.map((l, k) => (l.classList.contains('ktl-tl-capture') ? k : -1)))).filter((k) => k >= 0);
      assert.ok(captureRows.length > 0, `capture tracks under the CPUs: ${labels.join(', ')}`);
      await check('capture-on-timeline');

      // A packet mark: click painted marks on the capture's tracks until one is a packet.
      const canvas = frame.locator('#timeline-canvas');
      const clickPacket = async (skip: ReadonlySet<number>): Promise<number> => {
        const box = await canvas.boundingBox();
        assert.ok(box);
        for (const row of captureRows) {
          const trackPx = Number(await canvas.getAttribute('data-track-px'));
          for (const x of await paintedMarks(frame, row)) {
            await canvas.click({ position: { x, y: row * trackPx + 3 + 12 + 1 + (trackPx - 18) / 2 } });
            const n = Number(await frame.locator('#timeline-details').getAttribute('data-packet'));
            if (Number.isSafeInteger(n) && n > 0 && !skip.has(n)) return n;
          }
        }
        throw new Error('no packet mark could be clicked on the capture tracks');
      };
      const first = await clickPacket(new Set());
      await packetSelected(wb, CAPTURE, first, 60_000);
      const groups = await editorGroups(page);
      assert.equal(groups.length, 2, 'the capture opened beside the trace editor');
      assert.ok(groups.some((g) => g.active === CAPTURE), `the capture is in front in its group: ${JSON.stringify(groups.map((g) => g.tabs))}`);
      await check(`packet-${first}`);

      // Another packet: the same capture editor selects it; nothing else opens.
      const second = await clickPacket(new Set([first]));
      await packetSelected(wb, CAPTURE, second, 60_000);
      const tabs = (await editorGroups(page)).flatMap((g) => g.tabs);
      assert.equal(tabs.filter((t) => t === CAPTURE).length, 1, `one capture editor: ${tabs.join(', ')}`);
      await check(`packet-${second}`);

      // A capture with findings, opened in the side group (its tab there active first).
      await page.locator('.editor-group-container .tab', { hasText: CAPTURE }).first().click();
      await wb.openFile(FINDINGS_CAPTURE);
      await check('findings-capture');
      await page.locator('.statusbar-item#status\\.problems').click({ timeout: 20_000 });
      // The Problems list is virtual (rows out of view are not in the DOM): filter it to the
      // packet, then take the entry under host-a.pcap's findings.
      const filter = page.getByPlaceholder(/^Filter \(e\.g\./).first();
      const entry = async (packet: number) => {
        await filter.fill(`packet ${packet}:`);
        return waitFor(`the Problems entry of packet ${packet} of host-a.pcap`, 60_000, async () => {
          const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((rs) => rs.map((r) => ({ level: r.getAttribute('aria-level'), text: r.textContent ?? '' })));
          const head = rows.findIndex((r) => r.level === '1' && r.text.includes('host-a.pcap'));
          const k = head < 0 ? -1 : rows.findIndex((r, i) => i > head && r.level === '2' && r.text.includes(`packet ${packet}: `));
          return k < 0 ? undefined : page.locator('.markers-panel .monaco-list-row').nth(k);
        });
      };
      for (const packet of [other.packet as number, 64]) {
        await (await entry(packet)).dblclick();
        await packetSelected(wb, 'host-a.pcap', packet, 60_000);
        await waitFor('the findings document replaced', 20_000, async () => ((await wb.tabLabels()).some((t) => t.endsWith('.findings')) ? undefined : true));
        await check(`problems-packet-${packet}`);
      }
    },
    { timeoutMs: 480_000, viewport: { width: 800, height: 900 } },
  );
});
