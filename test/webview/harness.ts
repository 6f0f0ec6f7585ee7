/**
 * Runs the built webview (dist/webview.js + dist/webview.css) in headless Chromium behind
 * the same CSP as the real shell (src/extension/webview-html.ts), with a fake
 * `acquireVsCodeApi` whose postMessage reaches a Node-side host. The host answers like the
 * extension does, from a real TraceService over a real trace file.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { isWebviewToHost } from '../../src/protocol/guards';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/messages';

export const ROOT = join(__dirname, '..', '..');
const ORIGIN = 'https://ktl-webview.test';
const NONCE = 'dGVzdC1ub25jZS1mb3Ita3Rs';

/** Same directives as webviewHtml(); cspSource is our fake origin. */
const CSP = [
  "default-src 'none'",
  `style-src ${ORIGIN} 'nonce-${NONCE}'`,
  `script-src 'nonce-${NONCE}'`,
  `font-src ${ORIGIN}`,
  `img-src ${ORIGIN} data:`,
].join('; ');

export type Theme = 'dark' | 'light' | 'hc';

/** The body class VS Code gives a webview in each theme kind. */
const BODY_CLASS: Record<Theme, string> = { dark: 'vscode-dark', light: 'vscode-light', hc: 'vscode-high-contrast' };

/** The bundle a page loads: the trace editor (`webview`) or the Compare with… page (`compare`). */
export type Entry = 'webview' | 'compare';

function shell(theme: Theme, entry: Entry = 'webview'): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<link rel="stylesheet" href="${ORIGIN}/theme/${theme}.css" nonce="${NONCE}">
<link rel="stylesheet" href="${ORIGIN}/dist/${entry}.css" nonce="${NONCE}">
<title>Kernel Trace Lens</title>
</head>
<body class="${BODY_CLASS[theme]}">
<div id="app"></div>
<script nonce="${NONCE}" src="${ORIGIN}/dist/${entry}.js"></script>
</body>
</html>`;
}

/** Fails early with a clear message when dist/ is missing or older than webview/. */
export function assertBuilt(): void {
  const js = join(ROOT, 'dist', 'webview.js');
  const css = join(ROOT, 'dist', 'webview.css');
  if (!existsSync(js) || !existsSync(css)) throw new Error('dist/webview.js or dist/webview.css is missing: run `npm run build` first');
  const built = Math.min(statSync(js).mtimeMs, statSync(css).mtimeMs);
  const dirs = [join(ROOT, 'webview'), join(ROOT, 'webview', 'tracks'), join(ROOT, 'webview', 'compare'), join(ROOT, 'src', 'protocol')];
  for (const dir of dirs) {
    for (const name of readdirSync(dir)) {
      if (!/\.(ts|css)$/.test(name)) continue;
      if (statSync(join(dir, name)).mtimeMs > built) throw new Error(`dist/webview.js is older than ${basename(dir)}/${name}: run \`npm run build\` first`);
    }
  }
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** What a host does with the webview's messages; `send` posts back into the page. */
export interface HostBehaviour {
  onMessage(msg: WebviewToHost, send: (m: HostToWebview) => Promise<void>): Promise<void> | void;
}

export interface WebviewPage {
  readonly page: Page;
  /** Every message the webview posted, in order (already checked with isWebviewToHost). */
  readonly posted: WebviewToHost[];
  /** Messages the webview posted that failed the protocol guard. */
  readonly invalid: unknown[];
  /** The last value passed to vscode.setState. */
  readonly state: { value: unknown };
  /** Uncaught page errors and console errors. */
  readonly errors: string[];
  send(m: HostToWebview): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly theme?: Theme;
  /** What vscode.getState() returns (a restored tab). */
  readonly initialState?: unknown;
  readonly viewport?: { width: number; height: number };
  /** The bundle to load (default the trace editor's). */
  readonly entry?: Entry;
}

export async function openWebview(browser: Browser, behaviour: HostBehaviour, opts: OpenOptions = {}): Promise<WebviewPage> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 800 } });
  const page = await context.newPage();
  const posted: WebviewToHost[] = [];
  const invalid: unknown[] = [];
  const state: { value: unknown } = { value: opts.initialState ?? null };
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });

  const send = async (m: HostToWebview): Promise<void> => {
    if (page.isClosed()) return;
    await page.evaluate((msg) => window.postMessage(msg, '*'), m as unknown as Record<string, unknown>);
  };

  await page.exposeFunction('__ktlPost', async (msg: unknown) => {
    if (!isWebviewToHost(msg)) {
      invalid.push(msg);
      return;
    }
    posted.push(msg);
    try {
      await behaviour.onMessage(msg, send);
    } catch (e) {
      if (!page.isClosed()) errors.push(`host: ${(e as Error).message}`);
    }
  });
  await page.exposeFunction('__ktlSetState', (s: unknown) => {
    state.value = s;
  });
  // Stands in for what VS Code injects: acquireVsCodeApi (callable once), plus recorders
  // for CSP violations and for anything an injected script might do. A string, not a
  // function: tsx's name helpers (`__name`) do not exist inside the page.
  await page.addInitScript(`(() => {
    const w = window;
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
    });
    w.alert = (...args) => { w.__alerted = args; };
    let current = ${JSON.stringify(state.value)};
    let acquired = false;
    w.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi called twice');
      acquired = true;
      return {
        postMessage: (m) => void w.__ktlPost(JSON.parse(JSON.stringify(m))),
        getState: () => current,
        setState: (s) => { current = s; void w.__ktlSetState(JSON.parse(JSON.stringify(s))); },
      };
    };
  })();`);

  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const files: Record<string, [string, string]> = {
      '/dist/webview.js': [join(ROOT, 'dist', 'webview.js'), 'text/javascript'],
      '/dist/webview.css': [join(ROOT, 'dist', 'webview.css'), 'text/css'],
      '/dist/compare.js': [join(ROOT, 'dist', 'compare.js'), 'text/javascript'],
      '/dist/compare.css': [join(ROOT, 'dist', 'compare.css'), 'text/css'],
      '/theme/dark.css': [join(ROOT, 'test', 'webview', 'theme-dark.css'), 'text/css'],
      '/theme/light.css': [join(ROOT, 'test', 'webview', 'theme-light.css'), 'text/css'],
      '/theme/hc.css': [join(ROOT, 'test', 'webview', 'theme-hc.css'), 'text/css'],
    };
    if (path === '/') return route.fulfill({ status: 200, contentType: 'text/html', body: shell(opts.theme ?? 'dark', opts.entry) });
    const file = files[path];
    if (!file) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ status: 200, contentType: file[1], body: readFileSync(file[0]) });
  });
  await page.goto(`${ORIGIN}/`);

  return {
    page,
    posted,
    invalid,
    state,
    errors,
    send,
    close: () => context.close(),
  };
}

/** CSP violations the page recorded (the bundle must need none of 'unsafe-inline'/'eval'). */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

/**
 * The timeline's tracks as drawn (webview/timeline.ts writes one track's height, CSS px, to its
 * canvas's `data-track-px`; tracks grow to fill the timeline's height): the top of track `row`
 * and the middle of its marks lane (under the 12 px slices lane), CSS px from the canvas top.
 */
export async function trackGeometry(page: Page): Promise<{ trackPx: number; top: (row: number) => number; markMid: (row: number) => number }> {
  await page.waitForFunction(() => Number((document.getElementById('timeline-canvas') as HTMLElement | null)?.dataset.trackPx) > 0, undefined, { timeout: 10_000 });
  const trackPx = Number(await page.$eval('#timeline-canvas', (c) => (c as HTMLElement).dataset.trackPx));
  const gap = 6;
  const slices = 12;
  const top = (row: number): number => row * trackPx + gap / 2;
  return { trackPx, top, markMid: (row) => top(row) + slices + 1 + (trackPx - gap - slices) / 2 };
}
