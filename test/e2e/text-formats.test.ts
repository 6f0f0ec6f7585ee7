// Text formats other than ftrace in the real editor (code-server, the built extension, real
// fixtures copied into a temp workspace):
// - bpftrace column output (a printf() with a header line, no key=value pairs) is not a trace
//   by itself; with the workspace's .vscode/kernel-trace.json giving the printf pattern, "Open
//   as Trace" reads it as printf events, the same count `ktl stats --config` gives.
// - a strace of seed 003's hunt shows its write stall in the "File descriptors" panel at a
//   glance, as `ktl fds` reports it, and a call there selects its event in the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, withWorkbench } from './harness';
import { ACTIVE_TEXT_EDITOR, CLI, assertBuilt, ktlStats, summaryCount, tempWorkspace, traceFrame, SUMMARY_EVENTS } from './ktl-helpers';

const FILE = 'net-columns.txt';
const STRACE = 'ospf-hello.strace';

test('printf with the workspace pattern, and strace with its fd stall, in the trace editor', { timeout: 300_000 }, async () => {
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
    copyFileSync(join(REPO_ROOT, 'test/fixtures/strace/ospf-hello-raw.strace'), join(workspace, STRACE));
    const fds = execFileSync(process.execPath, [CLI, 'fds', join(workspace, STRACE), '--json'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { fd: number; process: number; stall: { writePolls: number } | null });
    const stall = fds.find((v) => v.stall !== null);
    if (!stall?.stall) return assert.fail('ktl fds finds no stall');
    const writePolls = stall.stall.writePolls;

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

        await wb.openFile(STRACE);
        await wb.page.locator(ACTIVE_TEXT_EDITOR).first().waitFor({ state: 'visible', timeout: 20_000 });
        await wb.runCommand('Kernel Trace: Open as Trace');
        const strace = await wb.findFrame('#fd-list .ktl-fd-stall', 30_000);
        assert.equal(await strace.locator('#summary-format').innerText(), 'strace');
        const head = strace.locator('#fd-list .ktl-fd').first();
        assert.equal(await head.getAttribute('data-fd'), String(stall.fd));
        assert.equal(await head.getAttribute('data-process'), String(stall.process));
        assert.match(await head.locator('.ktl-fd-verdict').innerText(), new RegExp(`asked writable ${writePolls}×`));
        await head.locator('.ktl-fd-head').click();
        const use = head.locator('.ktl-fd-use').last();
        const index = await use.getAttribute('data-index');
        await use.click();
        await strace.locator(`#event-table .ktl-row[aria-selected="true"][data-index="${index}"]`).waitFor({ state: 'visible', timeout: 20_000 });
        await wb.screenshot('strace-fd-stall');
      },
      { workspace, timeoutMs: 120_000 },
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true, maxRetries: 3 });
  }
});
