// A capture from the sample workspace in a real VS Code (code-server, the built extension):
// selecting a packet shows its layers and its bytes, a field selected in the tree highlights its
// bytes, an echo's journey runs across the sample's other captures, and the Problems view lists the capture's findings as `ktl findings` reports them, each
// naming its packet; a Problems entry's packet link selects that packet in the editor.
// sample/captures/ holds byte-for-byte copies of test/fixtures/pcap/host-a.pcap,
// host-b-egress-only.pcap and bridge-multi.pcapng (one run of test/fixtures/capture/capture-net.sh
// on this machine; provenance in test/fixtures/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { Frame } from 'playwright-core';
import { samplePath, withWorkbench, type Workbench } from './harness';
import { CLI, SUMMARY_EVENTS, assertBuilt, ktlStats, summaryCount, traceFrame, waitFor } from './ktl-helpers';

const CAPTURE = 'captures/host-a.pcap';

interface KtlFinding {
  kind: string;
  severity: string;
  packet?: number;
  message: string;
}

/** `ktl findings` about `file`, given the workspace's other captures too (the editor compares them). */
function ktlFindings(file: string, others: readonly string[]): KtlFinding[] {
  const out = execFileSync(process.execPath, [CLI, 'findings', file, ...others, '--json'], { encoding: 'utf8', timeout: 60_000 });
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as KtlFinding & { file: string })
    .filter((f) => f.file === file);
}

/** `ktl journey` hops of the echo id/seq from 10.78.0.1, as `captures/NAME #packet what`. */
function ktlJourney(files: string[], id: number, seq: number): string[] {
  const out = execFileSync(process.execPath, [CLI, 'journey', ...files, '--json', '--id', String(id), '--seq', String(seq)], { encoding: 'utf8', timeout: 60_000 });
  const j = out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { key: { icmp?: { requester: string } }; hops: { file: string; packet: number; what: string }[] })
    .find((x) => x.key.icmp?.requester === '10.78.0.1');
  assert.ok(j, 'ktl journey follows the echo');
  return j.hops.map((h) => `captures/${h.file.split('/').pop()} #${h.packet} ${h.what}`);
}

/** The Problems view's marker rows (not the file rows), as their aria labels. */
async function problemRows(wb: Workbench): Promise<string[]> {
  return wb.page.locator('.markers-panel .monaco-list-row[aria-level="2"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''));
}

async function waitPacket(frame: Frame, n: number): Promise<void> {
  await frame.locator(`#packet-details[data-packet="${n}"] #packet-tree [role=treeitem]`).first().waitFor({ state: 'attached', timeout: 20_000 });
}

test('a capture from sample/: packet details and bytes in the editor, its findings in the Problems view', { timeout: 300_000 }, async () => {
  assertBuilt();
  const file = samplePath(CAPTURE);
  const stats = ktlStats(file);
  const findings = ktlFindings(file, [samplePath('captures/bridge-multi.pcapng'), samplePath('captures/host-b-egress-only.pcap')]);
  assert.ok(findings.length > 0, 'the sample capture has findings');
  const lengthLie = findings.find((f) => f.kind === 'ip-length-exceeds');
  assert.equal(lengthLie?.packet, 64, 'seed 004: packet 64 says 84 bytes and holds 80');
  await withWorkbench(
    'capture-details',
    async (wb) => {
      await wb.openFile(CAPTURE);
      const frame = await traceFrame(wb, SUMMARY_EVENTS, 60_000);
      assert.equal(await summaryCount(frame), stats.events);

      // Select packet 12 (the first echo request) from the table with the keyboard.
      await frame.locator('#event-table .ktl-row[data-line]').first().waitFor({ state: 'visible', timeout: 20_000 });
      await frame.locator('#event-table').focus();
      await frame.locator('#event-table').press('Home');
      for (let k = 1; k < 12; k++) await frame.locator('#event-table').press('ArrowDown');
      await waitPacket(frame, 12);
      const layers = await frame.locator('#packet-tree [data-layer]').evaluateAll((es) => es.map((e) => (e as HTMLElement).dataset.layer));
      assert.deepEqual(layers, ['eth', 'ip', 'icmp']);
      assert.equal(await frame.locator('#packet-tree [data-field="icmp.seq"] .ktl-pt-value').innerText(), '1');
      // 98 bytes captured: 7 rows of hex, the first starting with the destination MAC.
      assert.equal(await frame.locator('#packet-hex .ktl-hex-b').count(), 98);
      await frame.locator('#packet-tree [data-field="ip.src"]').click();
      const hl = await frame.locator('#packet-hex .ktl-hex-b.ktl-hl').evaluateAll((es) => es.map((e) => e.textContent ?? ''));
      assert.equal(hl.map((h) => parseInt(h, 16)).join('.'), '10.78.0.1');
      // Its journey across the sample's other captures (the bridge's four interfaces, B's egress),
      // as `ktl journey` has it for the same echo.
      await frame.locator('#packet-journey[data-status="answered"]').waitFor({ state: 'attached', timeout: 30_000 });
      const hops = await frame.locator('#packet-journey .ktl-hop').evaluateAll((es) => es.map((e) => `${(e as HTMLElement).dataset.file} #${(e as HTMLElement).dataset.packet} ${(e as HTMLElement).dataset.what}`));
      const cli = ktlJourney([file, samplePath('captures/bridge-multi.pcapng'), samplePath('captures/host-b-egress-only.pcap')], 2652, 1);
      assert.deepEqual(hops, cli);
      await wb.screenshot('capture-details');

      // The Problems view lists every finding, each naming its packet (opened from the status
      // bar's problem counts, as a user would).
      await wb.page.locator('.statusbar-item#status\\.problems').click({ timeout: 20_000 });
      const rows = await waitFor('Problems rows', 30_000, async () => {
        const r = await problemRows(wb);
        return r.length >= findings.length ? r : undefined;
      });
      assert.equal(rows.length, findings.length, rows.join('\n'));
      for (const f of findings) {
        const text = `packet ${f.packet}: ${f.message}`;
        assert.ok(rows.some((r) => r.includes(text)), `Problems lists "${text}"`);
      }
      await wb.screenshot('capture-problems');

      // The entry's packet link (the diagnostic's code) selects the packet in the editor.
      const link = wb.page.locator('.markers-panel a.monaco-link', { hasText: 'ip-length-exceeds · packet 64' }).first();
      await link.click();
      await waitPacket(frame, 64);
      await waitFor('row 64 selected', 20_000, async () =>
        (await frame.locator('#event-table .ktl-row[aria-selected="true"]:not([hidden])').first().getAttribute('data-line', { timeout: 2_000 }).catch(() => null)) === '64' ? true : undefined,
      );
      const problems = await frame.locator('#packet-details .ktl-packet-problem').evaluateAll((es) => es.map((e) => (e as HTMLElement).dataset.kind));
      assert.deepEqual(problems, ['ip-length-exceeds']);
      await wb.screenshot('capture-problem-selected');
    },
    { timeoutMs: 240_000 },
  );
});
