// Seed 004 in the real VS Code: open the FIFO-break excerpt from the sample workspace, open the
// Lifecycles view, click the fifo-order finding: the trace opens as text at the finding's line
// and the flight recorder lists the events before it per CPU. Clicking the flight recorder's
// `__xsk_rcv_zc_L7` event opens its trace line and, through the source mapping of the sample
// workspace (kernelTrace.sourceRoot = the Linux 6.1 excerpts), net/xdp/xsk.c at the probed line.
// Expected values come from `ktl lifecycle --json --flight` and `ktl hits --json` on the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { samplePath, withWorkbench, type Workbench } from './harness';
import { CLI, assertBuilt, statusBarCursor, traceFrame, waitFor, SUMMARY_EVENTS } from './ktl-helpers';
import type { LifecycleJson } from '../../src/core/analysis/lifecycle/json';
import { KERNEL_SOURCE, kernelSourceSkip } from '../helpers/third-party';

const TRACE = 'traces/seed004-fifo-break.trace';
// Debian's Linux 6.1 files, unpacked by scripts/linux-source.mjs (test-all.sh runs it); never committed.
const SOURCE = KERNEL_SOURCE;
/** VS Code polls webview focus every 250 ms; let the active group settle after a click into it. */
const FOCUS_SETTLE_MS = 1_000;

interface KtlHit {
  event: string;
  file: string;
  line: number;
}

async function waitForCursor(wb: Workbench, line: number, what: string): Promise<void> {
  await waitFor(`${what}: the status bar at Ln ${line}`, 20_000, async () => ((await statusBarCursor(wb))?.line === line ? true : undefined));
}

test('Lifecycles view: the FIFO-order finding opens its line; its flight recorder opens the probe in the kernel source', { skip: kernelSourceSkip(), timeout: 420_000 }, async () => {
  assertBuilt();
  const lc = JSON.parse(execFileSync(process.execPath, [CLI, 'lifecycle', samplePath(TRACE), '--model', 'af-xdp', '--json', '--flight', '10'], { encoding: 'utf8', timeout: 60_000 })) as LifecycleJson;
  const fifo = lc.findings.find((f) => f.kind === 'fifo-order');
  assert.ok(fifo, 'ktl lifecycle finds the FIFO break in the seed-004 excerpt');
  const probeEvent = fifo.flight?.flatMap((c) => c.events).find((e) => e.event === '__xsk_rcv_zc_L7');
  assert.ok(probeEvent, 'the flight recorder of the FIFO break holds an __xsk_rcv_zc_L7 event');
  const hits = JSON.parse(execFileSync(process.execPath, [CLI, 'hits', samplePath(TRACE), '--source', SOURCE, '--json'], { encoding: 'utf8', timeout: 120_000 })) as KtlHit[];
  const site = hits.filter((h) => h.event === '__xsk_rcv_zc_L7');
  assert.equal(site.length, 1, 'ktl hits maps __xsk_rcv_zc_L7 to exactly one line');
  const src = site[0] as KtlHit;

  await withWorkbench(
    'lifecycle-view',
    async (wb) => {
      const page = wb.page;
      await wb.openFile(TRACE);
      const frame = await traceFrame(wb, SUMMARY_EVENTS, 60_000);
      await frame.locator('#tab-lifecycles').click();
      const finding = frame.locator('.ktl-lc-finding[data-kind="fifo-order"]').first();
      await finding.waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(await finding.getAttribute('data-line'), String(fifo.line));
      assert.equal(await frame.locator('#lc-status').getAttribute('data-objects'), String(lc.objectCount));
      await wb.screenshot('lifecycle-view-open');

      // Click the finding: the trace as text beside, at the finding's line.
      await sleep(FOCUS_SETTLE_MS);
      await finding.click();
      await waitForCursor(wb, fifo.line, 'the finding');
      await wb.waitForTab(basename(TRACE), 10_000);
      // ... and its flight recorder, one column per CPU.
      await frame.locator(`#lc-flight[data-index="${fifo.eventIndex}"]`).waitFor({ state: 'attached', timeout: 20_000 });
      const cpus = await frame.locator('#lc-flight .ktl-lc-fcol').evaluateAll((cs) => cs.map((c) => Number((c as HTMLElement).dataset.cpu)));
      assert.deepEqual(
        cpus,
        (fifo.flight ?? []).map((c) => c.cpu),
      );
      await wb.screenshot('lifecycle-view-finding');

      // The probe event in the flight recorder: its trace line, and xsk.c at the probed line.
      // (The source mapping is computed once the trace has loaded; click again until it is there.)
      const row = frame.locator(`#lc-flight .ktl-lc-frow[data-line="${probeEvent.line}"]`).first();
      await waitFor(`${basename(src.file)} to open at line ${src.line}`, 90_000, async () => {
        await sleep(FOCUS_SETTLE_MS);
        await row.click();
        try {
          await wb.waitForTab(basename(src.file), 5_000);
        } catch {
          return undefined;
        }
        return true;
      });
      await waitForCursor(wb, src.line, `${src.file}`);
      await wb.screenshot('lifecycle-view-source');
      // The trace text (a tab of the same side group as xsk.c) moved to the probe event's line.
      const sideGroup = page.locator('.editor-group-container').filter({ has: page.locator('.tab.active', { hasText: basename(src.file) }) });
      await sideGroup.first().locator('.tab', { hasText: basename(TRACE) }).first().click();
      await waitForCursor(wb, probeEvent.line, 'the trace text');
    },
    { timeoutMs: 300_000 },
  );
});
