// The sample workspace as `bash scripts/open-sample.sh` opens it (sample/.vscode/settings.json
// points kernelTrace.sourceRoot at the Linux 6.1 fixture files, outside the workspace): a veth
// ping trace is loaded, the Kernel Trace view lists its tracepoints, an ambiguous one (several
// `trace_<event>(` call sites) says so; clicking a site opens that line, annotated as
// ambiguous; "Pick Definition for Ambiguous Event" narrows the annotation to the picked site.
// Then the seed-004 trace: its probe in the view opens xsk.c at the probed line with its count.
// Expected values come from `ktl hits --json` on the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Locator } from 'playwright-core';
import { REPO_ROOT, samplePath, withWorkbench, type Workbench } from './harness';
import { waitFor } from './ktl-helpers';
import { KERNEL_SOURCE, kernelSourceSkip } from '../helpers/third-party';

const CLI = join(REPO_ROOT, 'dist/cli.js');
// Debian's Linux 6.1 files, unpacked by scripts/linux-source.mjs (test-all.sh runs it); never committed.
const SOURCE = KERNEL_SOURCE;
const VETH_TRACE = 'traces/veth-ping.trace';
const SEED_TRACE = 'traces/seed004-fifo-break.trace';

interface KtlHit {
  event: string;
  file: string;
  line: number;
  count: number;
}

function ktlHits(trace: string): KtlHit[] {
  const out = execFileSync(process.execPath, [CLI, 'hits', samplePath(trace), '--source', SOURCE, '--json'], { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out) as KtlHit[];
}

/** The end-of-line label the extension draws for the entries on one line (extension/hits/model.ts lineLabel). */
function label(entries: KtlHit[], ambiguous: boolean): string {
  const count = entries.reduce((n, e) => n + e.count, 0);
  const parts = [`${count} hit${count === 1 ? '' : 's'}`];
  if (entries.length > 1) parts.push(`${entries.length} events`);
  if (ambiguous) parts.push('ambiguous');
  return parts.join(' · ');
}

// Plain JavaScript run in the page: the line's text plus CSS generated content (`after` decorations).
const SEEN_TEXT_JS = `
  let out = '';
  const walk = (node) => {
    if (node.nodeType === 3) out += node.textContent || '';
    else if (node.nodeType === 1) {
      const c = getComputedStyle(node, '::after').content;
      node.childNodes.forEach(walk);
      if (c && c !== 'none' && c !== 'normal') out += c.replace(/^"([\\s\\S]*)"$/, '$1');
    }
  };
  walk(el);
  return out.replace(/\\u00a0/g, ' ');
`;

async function seenText(line: Locator): Promise<string> {
  // A short wait: the line may be re-rendered away; the caller's waitFor looks again.
  return line.evaluate(new Function('el', SEEN_TEXT_JS) as (el: Element) => string, undefined, { timeout: 2_000 });
}

async function cursorLine(wb: Workbench): Promise<number | undefined> {
  const m = /Ln (\d+), Col/.exec(await wb.page.locator('.part.statusbar').innerText({ timeout: 2_000 }));
  return m ? Number(m[1]) : undefined;
}

/**
 * The rendered line of the active editor that holds the cursor: the view line at the same `top`
 * as the gutter's number for the status bar's `Ln N` (the current-line highlight is not drawn
 * while focus is in the tree view, so it cannot be the anchor).
 */
async function lineAtCursor(wb: Workbench): Promise<Locator> {
  const n = await cursorLine(wb);
  if (n === undefined) throw new Error('no cursor line in the status bar');
  const editor = wb.page.locator('.editor-group-container.active .monaco-editor').first();
  const top = await editor
    .locator('.margin-view-overlays .line-numbers')
    .evaluateAll((els, want) => {
      const el = els.find((x) => (x.textContent ?? '').trim() === want);
      return el ? ((el.parentElement as HTMLElement).style.top || (el as HTMLElement).style.top) : undefined;
    }, String(n));
  if (top === undefined) throw new Error(`line ${n} is not rendered`);
  // One look at every rendered line: the editor re-renders them while it decorates, and a
  // line element looked up one by one could be gone by then (its evaluate then waited 30 s).
  const lines = editor.locator('.view-lines .view-line');
  const i = await lines.evaluateAll((els, t) => els.findIndex((el) => (el as HTMLElement).style.top === t), top);
  if (i < 0) throw new Error(`no rendered line at the cursor (line ${n}, top ${top})`);
  return lines.nth(i);
}

async function pickInQuickInput(wb: Workbench, text: string, rowLabel: string): Promise<void> {
  const page = wb.page;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  const exact = new RegExp(`^\\s*${rowLabel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
}

test('sample workspace: the Kernel Trace view, ambiguous tracepoints and the pick, seed 004 from the view', { skip: kernelSourceSkip(), timeout: 420_000 }, async () => {
  for (const f of ['dist/extension.js', 'dist/worker.js', 'dist/cli.js']) assert.ok(existsSync(join(REPO_ROOT, f)), `${f} missing: run npm run build first`);
  const veth = ktlHits(VETH_TRACE);
  // The event with the most call sites, and two of its sites.
  const perEvent = new Map<string, KtlHit[]>();
  for (const h of veth) perEvent.set(h.event, [...(perEvent.get(h.event) ?? []), h]);
  const [event, sites] = [...perEvent].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
  assert.ok(sites.length > 1, `ktl hits finds no ambiguous event in ${VETH_TRACE}`);
  const [first, picked] = sites as [KtlHit, KtlHit];
  const onFirstLine = veth.filter((h) => h.file === first.file && h.line === first.line);
  const seed = ktlHits(SEED_TRACE);
  const probe = seed.find((h) => h.event === '__xsk_rcv_zc_L7');
  assert.ok(probe, `ktl hits puts no __xsk_rcv_zc_L7 on a line for ${SEED_TRACE}`);

  await withWorkbench(
    'source-sample',
    async (wb) => {
      const page = wb.page;
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Kernel Trace/i }) }).first();
      const row = (text: string | RegExp): Locator => view.locator('.monaco-list-row', { hasText: text }).first();
      // A site row: its label is exactly `file:line` (an event row may show the same text in its description).
      const siteRow = (text: string): Locator =>
        view.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${text.replace(/\./g, '\\.')}\\s*$`) }) }).first();

      await wb.openFile(VETH_TRACE);
      await wb.findFrame('#summary-events', 60_000);
      const header = page.locator('.pane-header', { hasText: /^\s*Kernel Trace/i }).first();
      await header.waitFor({ state: 'visible', timeout: 30_000 });
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      // Give the view the Explorer's height: collapse the folder tree above it.
      const folders = page.locator('.pane-header', { hasText: /^\s*sample\s*$/i }).first();
      if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();

      // The ambiguous event says so in the view.
      const eventRow = row(new RegExp(`${event}.*ambiguous: ${sites.length} sites`));
      await eventRow.waitFor({ state: 'visible', timeout: 60_000 });
      await wb.screenshot('source-sample-view');

      // Clicking a site opens its line, labelled ambiguous.
      const siteLabel = `${basename(first.file)}:${first.line}`;
      await siteRow(siteLabel).click();
      await page.mouse.move(700, 400); // away from the tree, so its tooltip does not cover the editor
      await wb.waitForTab(basename(first.file), 20_000);
      await waitFor(`the cursor on line ${first.line}`, 20_000, async () => ((await cursorLine(wb)) === first.line ? true : undefined));
      const before = label(onFirstLine, true);
      await waitFor(`"${before}" at the end of ${siteLabel}`, 20_000, async () => ((await seenText(await lineAtCursor(wb))).includes(before) ? true : undefined));
      await wb.screenshot('source-sample-ambiguous');

      // Pick another site: the first one is no longer annotated for this event.
      await wb.runCommand('Kernel Trace: Pick Definition for Ambiguous Event');
      await pickInQuickInput(wb, event, event);
      await pickInQuickInput(wb, `${picked.file}:${picked.line}`, `${picked.file}:${picked.line}`);
      await row(new RegExp(`${event}.*picked ${picked.file}:${picked.line}`)).waitFor({ state: 'visible', timeout: 20_000 });
      const rest = onFirstLine.filter((h) => h.event !== event);
      await waitFor(`the label of ${siteLabel} to drop ${event}`, 20_000, async () => {
        const t = await seenText(await lineAtCursor(wb));
        const want = rest.length === 0 ? !/\d hits?\b/.test(t) : t.includes(label(rest, rest.some((h) => (perEvent.get(h.event)?.length ?? 0) > 1)));
        return want ? true : undefined;
      });
      await wb.screenshot('source-sample-picked');

      // Seed 004: its probe in the view opens xsk.c at the probed line, with the count.
      await wb.openFile(SEED_TRACE);
      await wb.findFrame('#summary-events', 60_000);
      await row(new RegExp(`${probe.event}.*${basename(probe.file)}:${probe.line}`)).waitFor({ state: 'visible', timeout: 60_000 });
      await siteRow(`${basename(probe.file)}:${probe.line}`).click();
      await wb.waitForTab(basename(probe.file), 20_000);
      await waitFor(`the cursor on line ${probe.line}`, 20_000, async () => ((await cursorLine(wb)) === probe.line ? true : undefined));
      const want = label([probe], false);
      await waitFor(`"${want}" at the end of line ${probe.line}`, 20_000, async () => ((await seenText(await lineAtCursor(wb))).includes(want) ? true : undefined));
      await wb.screenshot('source-sample-seed004');
    },
    { timeoutMs: 300_000 },
  );
});
