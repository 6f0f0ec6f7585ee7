// Seed 004 in the real VS Code: the trace of the AF_XDP hunt is loaded, the kernel source is
// open, and line 144 of net/xdp/xsk.c (`__xsk_rcv_zc_L7`, the kprobe on
// xskq_prod_reserve_desc) carries its hit count at the end of the line, its per-CPU split in
// the hover and a CodeLens on the function; "Probe This Line" writes the perf probe command
// for that line; "Show Events for This Line" filters the trace table to those events; a
// `sym+0xoff/0xsize` in a log opens the function. Real VS Code (code-server), the built
// extension, a temp workspace holding copies of the Linux 6.1 fixture files and the trace.
// Every expected value comes from `ktl hits --json` / `ktl probe --json` (the same core, no
// VS Code), not from numbers written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Frame, Locator } from 'playwright-core';
import { REPO_ROOT, withWorkbench, type Workbench } from './harness';
import { waitFor } from './ktl-helpers';
import { KERNEL_SOURCE, kernelSourceSkip } from '../helpers/third-party';

const CLI = join(REPO_ROOT, 'dist/cli.js');
// Debian's Linux 6.1 files, unpacked by scripts/linux-source.mjs (test-all.sh runs it); never committed.
const FIXTURE_SOURCE = KERNEL_SOURCE;
const FIXTURE_TRACE = join(REPO_ROOT, 'test/fixtures/ftrace/seed004-fifo-break.trace');
const SOURCE_FILE = 'net/xdp/xsk.c';
const LINE = 144;
const EVENT = '__xsk_rcv_zc_L7';
const EXTENSION_ID = 'kernel-trace-lens.kernel-trace-lens';

interface KtlHit {
  event: string;
  file: string;
  line: number;
  function: string | null;
  count: number;
  cpus: Record<string, number>;
  mapping: string;
}

function ktl(args: string[]): unknown {
  const out = execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  try {
    return JSON.parse(out) as unknown;
  } catch (err) {
    throw new Error(`ktl ${args.join(' ')} did not print JSON: ${out.slice(0, 300)}`, { cause: err });
  }
}

/** Monaco renders spaces as no-break spaces; compare text as a person reads it. */
function plain(s: string): string {
  return s.replace(/\u00a0/g, ' ');
}

/** The webview frame holding `selector`, checked to be ours. */
async function traceFrame(wb: Workbench, selector: string, timeoutMs: number): Promise<Frame> {
  const frame = await wb.findFrame(selector, timeoutMs);
  let id: string | null = null;
  for (let f: Frame | null = frame; f !== null && id === null; f = f.parentFrame()) {
    try {
      id = new URL(f.url()).searchParams.get('extensionId');
    } catch {
      // about:blank
    }
  }
  assert.equal(id, EXTENSION_ID, `${selector} is not in a Kernel Trace Lens webview`);
  return frame;
}

/** Ctrl+G in the active text editor, then the line number. */
async function goToLine(wb: Workbench, line: number): Promise<void> {
  const page = wb.page;
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  await waitFor(`the status bar to show Ln ${line}`, 10_000, async () => {
    const text = await page.locator('.part.statusbar').innerText({ timeout: 2_000 });
    return new RegExp(`Ln ${line}, Col`).test(text) ? true : undefined;
  });
}

// Plain JavaScript run in the page (a string: tsx would wrap named functions in a helper the page lacks).
const SEEN_TEXT_JS = `
  const generated = (node, pseudo) => {
    const c = getComputedStyle(node, pseudo).content;
    return c && c !== 'none' && c !== 'normal' ? c.replace(/^"([\\s\\S]*)"$/, '$1').replace(/\\\\(.)/g, '$1') : '';
  };
  let out = '';
  const walk = (node) => {
    if (node.nodeType === 3) out += node.textContent || '';
    else if (node.nodeType === 1) {
      out += generated(node, '::before');
      node.childNodes.forEach(walk);
      out += generated(node, '::after');
    }
  };
  walk(el);
  return out;
`;

/**
 * What a person sees on a rendered editor line: its text plus the `::before`/`::after`
 * content of its spans (VS Code draws `after` decorations as CSS generated content).
 */
async function seenText(line: Locator): Promise<string> {
  return plain(await line.evaluate(new Function('el', SEEN_TEXT_JS) as (el: Element) => string));
}

/** The background images of the elements under `el` that use one (plain JavaScript, as above). */
const GUTTER_ICONS_JS = `
  return [...el.querySelectorAll('*')]
    .map((n) => getComputedStyle(n).backgroundImage)
    .filter((b) => b && b !== 'none' && b.includes('hit-level'));
`;

/** The rendered line of the active editor group's text editor whose code contains `code`. */
function viewLine(wb: Workbench, code: string): Locator {
  return wb.page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line').filter({ hasText: code.replace(/ /g, '\u00a0') }).first();
}

test('seed 004: hit counts on xsk.c:144 (end of line, hover, CodeLens), Probe This Line, Show Events, symbol and raw-address links', { skip: kernelSourceSkip(), timeout: 420_000 }, async () => {
  for (const f of ['dist/extension.js', 'dist/worker.js', 'dist/webview.js', 'dist/cli.js', 'dist/tree-sitter-c.wasm']) {
    assert.ok(existsSync(join(REPO_ROOT, f)), `${f} missing: run npm run build first`);
  }

  // Expected answers from the core, without VS Code.
  const hits = ktl(['hits', FIXTURE_TRACE, '--source', FIXTURE_SOURCE, '--json']) as KtlHit[];
  const onLine = hits.filter((h) => h.file === SOURCE_FILE && h.line === LINE);
  const hit = onLine.find((h) => h.event === EVENT);
  assert.ok(hit, `ktl hits puts no ${EVENT} on ${SOURCE_FILE}:${LINE}: ${JSON.stringify(hits.map((h) => `${h.event}@${h.file}:${h.line}`))}`);
  const lineCount = onLine.reduce((n, h) => n + h.count, 0);
  const fnHits = hits.filter((h) => h.file === SOURCE_FILE && h.function === hit.function);
  const fnCount = fnHits.reduce((n, h) => n + h.count, 0);
  const fnEvents = new Set(fnHits.map((h) => h.event)).size;
  const probe = ktl(['probe', `${SOURCE_FILE}:${LINE}`, '--source', FIXTURE_SOURCE, '--json']) as { commands: string[]; event: string; function: string };
  const addCommand = probe.commands.find((c) => c.startsWith('perf probe -a '));
  assert.ok(addCommand, `ktl probe gives no perf probe -a command: ${JSON.stringify(probe.commands)}`);
  assert.equal(probe.event, EVENT, 'the probe for the line should be named like the traced event');
  const codeOfLine = readFileSync(join(FIXTURE_SOURCE, SOURCE_FILE), 'utf8').split('\n')[LINE - 1]?.trim() ?? '';
  assert.ok(codeOfLine.length > 10, `line ${LINE} of ${SOURCE_FILE} is empty`);
  const declLine = LINE - Number(/_L(\d+)$/.exec(EVENT)?.[1]);

  // A workspace holding a copy of the source tree and the trace.
  const workspace = mkdtempSync(join(tmpdir(), 'ktl-e2e-source-'));
  try {
    cpSync(FIXTURE_SOURCE, join(workspace, 'linux-6.1'), { recursive: true });
    mkdirSync(join(workspace, 'traces'));
    cpSync(FIXTURE_TRACE, join(workspace, 'traces/seed004-fifo-break.trace'));
    // An oops-style log: the kprobe site as a link to the function.
    // The last line is the same site as a raw address (old oopses print `[<ADDRESS>]`) in this
    // machine's kernel: __xsk_rcv_zc is at ffffffff821946c0 in the saved kallsyms excerpt.
    writeFileSync(join(workspace, 'oops.log'), `RIP: 0010:__xsk_rcv_zc+0x9b/0x250\nCall Trace:\n __xsk_map_flush+0x4e/0x180\n [<ffffffff8219475b>]\n`);
    cpSync(join(REPO_ROOT, 'test/fixtures/kallsyms/ping-samples.kallsyms'), join(workspace, 'kallsyms.txt'));

    await withWorkbench(
      'source-hits',
      async (wb) => {
        const page = wb.page;
        const timings: Record<string, number> = {};
        const t0 = Date.now();

        // 1. The trace loads, and its hits arrive: the Kernel Trace view lists the probe.
        await wb.openFile('traces/seed004-fifo-break.trace');
        await traceFrame(wb, '#summary-events', 60_000);
        // The view shows up (collapsed) in the Explorer once the extension is active: expand it.
        const header = page.locator('.pane-header', { hasText: /^\s*Kernel Trace/i }).first();
        await header.waitFor({ state: 'visible', timeout: 30_000 });
        if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
        const viewItem = page.locator('.pane-body .monaco-list-row', { hasText: EVENT }).first();
        await viewItem.waitFor({ state: 'visible', timeout: 60_000 });
        timings.traceAndHits = Date.now() - t0;
        await wb.screenshot('source-hits-view');

        // 2. xsk.c at line 144: the end-of-line count, the gutter mark and the CodeLens.
        await wb.openFile(`linux-6.1/${SOURCE_FILE}`);
        await goToLine(wb, LINE);
        const line = viewLine(wb, codeOfLine);
        await line.waitFor({ state: 'visible', timeout: 10_000 });
        const label = `${lineCount} hit${lineCount === 1 ? '' : 's'}`;
        const lineText = await waitFor(`"${label}" after the code of line ${LINE}`, 20_000, async () => {
          const t = await seenText(line);
          return t.includes(label) ? t : undefined;
        });
        assert.ok(lineText.indexOf(codeOfLine) < lineText.indexOf(label), `the count is not after the code: ${JSON.stringify(lineText)}`);
        // The count is injected text: the code itself starts where it always did.
        assert.ok(lineText.startsWith(codeOfLine) || lineText.trimStart().startsWith(codeOfLine), `the code of line ${LINE} moved: ${JSON.stringify(lineText)}`);
        // The gutter mark: a glyph-margin element drawn with one of media/hit-level-*.svg.
        const gutterIcons = (await page
          .locator('.editor-group-container.active .monaco-editor')
          .first()
          .evaluate(new Function('el', GUTTER_ICONS_JS) as (el: Element) => string[])) as string[];
        assert.ok(gutterIcons.length >= 1 && gutterIcons.every((u) => /hit-level-\d-(light|dark)\.svg/.test(u)), `no hit gutter mark in the editor: ${JSON.stringify(gutterIcons)}`);
        const lensText = `${fnCount} hit${fnCount === 1 ? '' : 's'} · ${fnEvents} probe${fnEvents === 1 ? '' : 's'}`;
        await page.locator('.editor-group-container.active .codelens-decoration', { hasText: lensText }).first().waitFor({ state: 'visible', timeout: 20_000 });
        timings.sourceDecorated = Date.now() - t0;

        // 3. The hover on line 144: per-CPU counts as ktl computes them.
        await line.hover({ position: { x: 40, y: 5 } });
        const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Per CPU' }).first();
        await hover.waitFor({ state: 'visible', timeout: 20_000 });
        const hoverText = plain(await hover.innerText());
        for (const [cpu, n] of Object.entries(hit.cpus)) assert.ok(hoverText.includes(`CPU ${cpu}: ${n}`), `the hover lacks "CPU ${cpu}: ${n}": ${hoverText}`);
        assert.ok(hoverText.includes(EVENT), `the hover does not name ${EVENT}: ${hoverText}`);
        assert.ok(/distinct/.test(hoverText), `the hover has no variable statistics: ${hoverText}`);
        await wb.screenshot('source-hits-hover');
        await page.keyboard.press('Escape');
        await page.mouse.move(5, 5);

        // 4. Probe This Line on line 144: a new shell-script editor with the perf probe -a line.
        await wb.runCommand('Kernel Trace: Probe This Line');
        const addLine = page.locator('.editor-group-container.active .monaco-editor .view-line').filter({ hasText: addCommand.replace(/ /g, '\u00a0') }).first();
        await addLine.waitFor({ state: 'visible', timeout: 30_000 });
        assert.equal(plain(await addLine.innerText()).trim(), addCommand);
        // An untitled editor (VS Code labels it with its first line, `#!/bin/sh`, and "Untitled-N") in shell-script mode.
        await page.locator('.editor-group-container.active .tab.active', { hasText: /Untitled-\d+/ }).waitFor({ state: 'visible', timeout: 10_000 });
        assert.match(await page.locator('.part.statusbar').innerText(), /Shell Script/, 'the script editor is not in shell-script mode');
        const notification = page.locator('.notification-toast', { hasText: 'Send to Terminal' }).first();
        await notification.waitFor({ state: 'visible', timeout: 10_000 });
        timings.probeScript = Date.now() - t0;
        await wb.screenshot('source-hits-probe');

        // "Send to Terminal" asks first (modal); cancelling runs nothing and opens no terminal.
        await notification.locator('.monaco-button', { hasText: 'Send to Terminal' }).click();
        const dialog = page.locator('.monaco-dialog-box', { hasText: 'Run the probe script' }).first();
        await dialog.waitFor({ state: 'visible', timeout: 10_000 });
        assert.match(await dialog.innerText(), new RegExp(`probe:${EVENT}`), 'the confirmation does not name the probe it adds');
        await wb.screenshot('source-hits-confirm');
        await dialog.locator('.monaco-button', { hasText: /^\s*Cancel\s*$/ }).click();
        await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
        await sleep(500);
        assert.equal(await page.locator('.terminal-wrapper').count(), 0, 'a terminal was opened although the confirmation was cancelled');

        // 5. Show Events for This Line: the trace table filtered to the events of line 144.
        await page.locator('.editor-group-container .tab', { hasText: 'xsk.c' }).first().click();
        await wb.waitForTab('xsk.c');
        await goToLine(wb, LINE);
        await wb.runCommand('Kernel Trace: Show Events for This Line');
        const frame = await traceFrame(wb, `#match-count[data-matched="${lineCount}"]`, 30_000);
        const rows = await frame.locator('#event-table .ktl-row:not([hidden]) .c-event').allInnerTexts();
        assert.ok(rows.length > 0 && rows.every((e) => onLine.some((h) => h.event === e.trim())), `the table shows other events: ${JSON.stringify(rows)}`);
        timings.showEvents = Date.now() - t0;
        await wb.screenshot('source-hits-show-events');

        // 6. A sym+0xoff/0xsize in a log is a link to the function's line.
        await wb.openFile('oops.log');
        // The log's syntax colouring splits the link over several spans: click the symbol's.
        const link = page.locator('.editor-group-container.active .monaco-editor .view-line .detected-link', { hasText: '__xsk_rcv_zc' }).first();
        await link.waitFor({ state: 'visible', timeout: 20_000 });
        await link.click({ modifiers: ['Control'] });
        await wb.waitForTab('xsk.c', 20_000);
        await waitFor(`the cursor on line ${declLine} (the function's name)`, 20_000, async () => {
          const text = await page.locator('.part.statusbar').innerText({ timeout: 2_000 });
          return new RegExp(`Ln ${declLine}, Col`).test(text) ? true : undefined;
        });
        timings.symbolLink = Date.now() - t0;
        await wb.screenshot('source-hits-link');

        // 7. A raw address in the log, with kernelTrace.kallsyms set: a link to the same line.
        await goToLine(wb, 1);
        await waitFor('the cursor on line 1', 10_000, async () => (/Ln 1, Col/.test(await page.locator('.part.statusbar').innerText({ timeout: 2_000 })) ? true : undefined));
        await page.locator('.editor-group-container .tab', { hasText: 'oops.log' }).first().click();
        await wb.waitForTab('oops.log');
        const raw = page.locator('.editor-group-container.active .monaco-editor .view-line .detected-link', { hasText: 'ffffffff8219475b' }).first();
        await raw.waitFor({ state: 'visible', timeout: 20_000 });
        await raw.click({ modifiers: ['Control'] });
        await wb.waitForTab('xsk.c', 20_000);
        await waitFor(`the cursor on line ${declLine} through kallsyms`, 20_000, async () => {
          const text = await page.locator('.part.statusbar').innerText({ timeout: 2_000 });
          return new RegExp(`Ln ${declLine}, Col`).test(text) ? true : undefined;
        });
        timings.rawAddressLink = Date.now() - t0;
        console.log(`[e2e:source-hits] timings since start (ms): ${JSON.stringify(timings)}`);
      },
      { timeoutMs: 300_000, settings: { 'kernelTrace.sourceRoot': '${workspaceFolder}/linux-6.1', 'kernelTrace.kallsyms': '${workspaceFolder}/kallsyms.txt', 'workbench.editor.enablePreview': false }, workspace },
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
