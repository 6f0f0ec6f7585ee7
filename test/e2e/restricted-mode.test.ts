// Restricted Mode in the real VS Code (issue #10 item 6): workspace trust on, the folder not
// trusted, and its .vscode/settings.json pointing kernelTrace.kallsyms at /dev/zero,
// kernelTrace.vmlinux at an ELF of the workspace and kernelTrace.sourceRoot at the home folder.
// The extension must ignore those three values (the hits come from the workspace's own source
// tree, nothing reads /dev/zero, nothing hangs), and start no process: `addr2line`, `rg` and the
// other tools are logging shims first on the extension host's PATH, and their log stays empty
// while a trace's hits are computed and a `sym+0xoff/0xsize` link of a log is followed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, withWorkbench } from './harness';
import { assertBuilt, waitFor } from './ktl-helpers';
import { KERNEL_SOURCE, kernelSourceSkip } from '../helpers/third-party';

// Debian's Linux 6.1 files, unpacked by scripts/linux-source.mjs (test-all.sh runs it); never committed.
const FIXTURE_SOURCE = KERNEL_SOURCE;
const FIXTURE_TRACE = join(REPO_ROOT, 'test/fixtures/ftrace/seed004-fifo-break.trace');
const EVENT = '__xsk_rcv_zc_L7';
/** Line of `__xsk_rcv_zc`'s name in net/xdp/xsk.c (144 is its relative line 7). */
const DECL_LINE = 137;
/** Programs the extension could start (none may run in Restricted Mode); not the shell or anything code-server needs. */
const TOOLS = ['addr2line', 'llvm-symbolizer', 'rg', 'perf', 'trace-cmd', 'objdump', 'nm', 'readelf', 'bpftrace', 'eu-addr2line'];

test('Restricted Mode: workspace kallsyms=/dev/zero, vmlinux, sourceRoot=~ ignored; no process started; hits and links still work', { skip: kernelSourceSkip(), timeout: 300_000 }, async () => {
  assertBuilt();
  const workspace = mkdtempSync(join(tmpdir(), 'ktl-e2e-restricted-'));
  const shims = mkdtempSync(join(tmpdir(), 'ktl-e2e-shims-'));
  const log = join(shims, 'calls.log');
  try {
    writeFileSync(log, '');
    for (const t of TOOLS) {
      writeFileSync(join(shims, t), `#!/bin/sh\necho "${t} $*" >> '${log}'\n`);
      chmodSync(join(shims, t), 0o755);
    }
    cpSync(FIXTURE_SOURCE, join(workspace, 'linux-6.1'), { recursive: true });
    mkdirSync(join(workspace, 'traces'));
    cpSync(FIXTURE_TRACE, join(workspace, 'traces/seed004-fifo-break.trace'));
    cpSync('/bin/true', join(workspace, 'vmlinux'));
    writeFileSync(join(workspace, 'oops.log'), 'RIP: 0010:__xsk_rcv_zc+0x9b/0x250\n');
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(
      join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'kernelTrace.kallsyms': '/dev/zero', 'kernelTrace.vmlinux': '${workspaceFolder}/vmlinux', 'kernelTrace.sourceRoot': '${userHome}' }, null, 2),
    );

    await withWorkbench(
      'restricted-mode',
      async (wb) => {
        const page = wb.page;
        // Restricted Mode is really on (the status bar says so).
        await page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).waitFor({ state: 'visible', timeout: 30_000 });

        // The trace's hits: mapped through the workspace's own tree, not the home folder, with
        // no kallsyms error (the workspace's /dev/zero is never opened).
        await wb.openFile('traces/seed004-fifo-break.trace');
        await wb.findFrame('#summary-events', 60_000);
        const header = page.locator('.pane-header', { hasText: /^\s*Kernel Trace/i }).first();
        await header.waitFor({ state: 'visible', timeout: 30_000 });
        if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
        await page.locator('.pane-body .monaco-list-row', { hasText: EVENT }).first().waitFor({ state: 'visible', timeout: 60_000 });

        // A sym+0xoff/0xsize link: resolved by the source index (no addr2line on the workspace's "vmlinux").
        await wb.openFile('oops.log');
        const link = page.locator('.editor-group-container.active .monaco-editor .view-line .detected-link', { hasText: '__xsk_rcv_zc' }).first();
        await link.waitFor({ state: 'visible', timeout: 20_000 });
        await link.click({ modifiers: ['Control'] });
        await wb.waitForTab('xsk.c', 20_000);
        await waitFor(`the cursor on line ${DECL_LINE} (the function's name)`, 20_000, async () =>
          new RegExp(`Ln ${DECL_LINE}, Col`).test(await page.locator('.part.statusbar').innerText({ timeout: 2_000 })) ? true : undefined,
        );
        await wb.screenshot('restricted-mode');

        const notes = await page.locator('.notification-toast').allInnerTexts();
        assert.ok(!notes.some((n) => /dev\/zero|kallsyms/.test(n)), `a notification names the workspace's kallsyms: ${JSON.stringify(notes)}`);
        assert.equal(readFileSync(log, 'utf8'), '', 'a process was started in Restricted Mode');
      },
      { restrictedMode: true, env: { PATH: `${shims}:${process.env.PATH ?? ''}` }, workspace, timeoutMs: 180_000, settings: { 'workbench.editor.enablePreview': false } },
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(shims, { recursive: true, force: true });
  }
});
