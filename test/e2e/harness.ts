// End-to-end harness: the extension in a real VS Code (code-server, a full VS Code with a
// Node extension host and the workbench in the browser), driven by Playwright in Debian's
// Chromium. Recipe and why: shared/notes/real-vscode-in-ci.md. Needs
// `bash scripts/install-code-server.sh` (code-server + chromium) and, for the extension,
// `npm run build`.
//
// Usage:
//   await withWorkbench('my-test', async (wb) => {
//     await wb.openFile('traces/veth-ping.trace');
//     const frame = await wb.findFrame('#summary-events', 60_000);
//   });
// withWorkbench screenshots the page and prints the tails of the code-server, extension
// host and browser logs when the callback throws, and always stops the server and browser.
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Frame, type Page } from 'playwright-core';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The repository root: the nearest folder up from the working directory whose package.json is ours. */
export const REPO_ROOT: string = findRepoRoot(process.cwd());
export const CODE_SERVER_ENTRY: string = join(
  REPO_ROOT,
  '.vscode-test/code-server/node_modules/code-server/out/node/entry.js',
);
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const OUTPUT_DIR: string = join(REPO_ROOT, 'test-output/e2e');
export const SAMPLE_WORKSPACE: string = join(REPO_ROOT, 'sample');

/** Flags from the recipe: without the background-networking ones Chromium hammers the closed network. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** User settings for every run: no trust dialog (it blocks activation), no welcome page, no noise. */
const BASE_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
};

export interface WorkbenchOptions {
  /** Folder to open, absolute or relative to the repo root. Default: sample/. */
  workspace?: string;
  /** Extra user settings, merged over the harness defaults. */
  settings?: Record<string, unknown>;
  /** Link this repo as an installed extension (default true). False checks the workbench alone. */
  withExtension?: boolean;
  /** Budget for code-server to answer and the workbench to render, in ms. Default 90 s. */
  startTimeoutMs?: number;
  /**
   * withWorkbench only: budget for the callback, in ms (default 120 s). When it runs out the
   * run fails with diagnostics and everything is stopped, so keep the test's own timeout
   * above startTimeoutMs + timeoutMs: a test the runner abandons would leave a live
   * browser and server holding its process open.
   */
  timeoutMs?: number;
  /** Browser viewport; screenshots have this size. */
  viewport?: { width: number; height: number };
  /**
   * Workspace trust on and the folder not trusted: it opens in Restricted Mode, without the
   * startup prompt (which would block activation). Default: trust off, as for every other test.
   */
  restrictedMode?: boolean;
  /** Environment for code-server and what it starts (the extension host), over the harness's. */
  env?: Record<string, string>;
}

/** One running code-server + Chromium page. Create with startWorkbench() or withWorkbench(). */
export class Workbench {
  readonly page: Page;
  readonly port: number;
  readonly url: string;
  readonly workspace: string;
  /** Where this run's logs and screenshots go: test-output/e2e/<name>/ (screenshots also one level up). */
  readonly outputDir: string;
  readonly userDataDir: string;
  readonly browserLog: string[] = [];

  private stopped = false;

  constructor(
    readonly name: string,
    private readonly server: CodeServer,
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    page: Page,
    init: { port: number; url: string; workspace: string; outputDir: string; userDataDir: string },
  ) {
    this.page = page;
    this.port = init.port;
    this.url = init.url;
    this.workspace = init.workspace;
    this.outputDir = init.outputDir;
    this.userDataDir = init.userDataDir;
  }

  /** Opens a workspace file through Quick Open (Ctrl+P), as a person would. */
  async openFile(relativePath: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const name = basename(relativePath);
    const query = relativePath.replace(/\\/g, '/');
    // The file index may still be building right after start: retry until the file shows up.
    for (let attempt = 1; ; attempt++) {
      await this.closeQuickInput();
      await this.focusWorkbench();
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(query);
      const row = this.page
        .locator('.quick-input-widget .quick-input-list .monaco-list-row')
        .filter({ has: this.page.locator('.label-name', { hasText: exactText(name) }) })
        .first();
      try {
        await row.waitFor({ state: 'visible', timeout: Math.max(1_000, Math.min(10_000, deadline - Date.now())) });
      } catch (err) {
        if (Date.now() >= deadline) {
          throw new Error(`openFile(${relativePath}): Quick Open did not list ${name} within ${timeoutMs} ms (${attempt} tries)`, {
            cause: err,
          });
        }
        continue;
      }
      // Select the matching row (not necessarily the first) and open it.
      await row.click();
      await this.waitForTab(name, Math.max(5_000, deadline - Date.now()));
      return;
    }
  }

  /**
   * Runs a command by its palette title (F1), e.g. 'Kernel Trace: Open as Trace'. The palette can
   * close under the click when an editor that is still opening takes the focus (seen in CI: the
   * row found, then "element is not visible"): it is opened again, up to three times.
   */
  async runCommand(title: string, timeoutMs = 20_000): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.closeQuickInput();
      await this.focusWorkbench();
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`);
      const row = this.page
        .locator('.quick-input-widget .quick-input-list .monaco-list-row')
        .filter({ has: this.page.locator('.label-name', { hasText: exactText(title) }) })
        .first();
      try {
        await row.waitFor({ state: 'visible', timeout: timeoutMs });
      } catch (err) {
        await this.closeQuickInput();
        throw new Error(`runCommand(${title}): no such command in the palette within ${timeoutMs} ms`, { cause: err });
      }
      try {
        await row.click({ timeout: 5_000 });
      } catch (err) {
        if (attempt >= 3) throw new Error(`runCommand(${title}): the palette closed before its row could be clicked (${attempt} tries)`, { cause: err });
        continue;
      }
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
      return;
    }
  }

  /**
   * Finds the frame (webviews are iframes nested two deep) holding an element matching
   * `selector`, polling until `timeoutMs`. Throws, listing the frames it saw, if none does.
   */
  async findFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // After stop() (e.g. withWorkbench's budget ran out) there is nothing left to wait for.
      if (this.page.isClosed()) throw new Error(`findFrame(${selector}): the page is closed`);
      for (const frame of this.page.frames()) {
        if (frame.isDetached()) continue;
        try {
          if ((await frame.locator(selector).count()) > 0) return frame;
        } catch {
          // The frame navigated or detached while we looked: try the next one / the next round.
        }
      }
      if (Date.now() >= deadline) {
        const urls = this.page.frames().map((f) => `  ${f.url().slice(0, 160)}`);
        throw new Error(`findFrame(${selector}): no frame has it after ${timeoutMs} ms; frames:\n${urls.join('\n')}`);
      }
      await sleep(250);
    }
  }

  /** Waits until the active editor tab is labelled `label` (a file name). */
  async waitForTab(label: string, timeoutMs = 20_000): Promise<void> {
    await this.page
      .locator('.editor-group-container.active .tabs-container .tab.active', { hasText: label })
      .first()
      .waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** The labels of the open editor tabs, in order. */
  async tabLabels(): Promise<string[]> {
    return this.page.locator('.tabs-container .tab .label-name').allInnerTexts();
  }

  /** Saves a screenshot of the whole page to test-output/e2e/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const path = join(OUTPUT_DIR, `${safeName(name)}.png`);
    await this.page.screenshot({ path, timeout: 15_000 });
    return path;
  }

  /** The last `lines` lines of code-server's own output (stdout + stderr). */
  serverLogTail(lines = 60): string {
    return this.server.tail(lines);
  }

  /** The last lines of the extension host log (where the extension's console output and errors land). */
  extensionHostLogTail(lines = 60): string {
    const files = findFiles(join(this.userDataDir, 'logs'), (p) => /exthost\d*\.log$|remoteexthost\.log$/.test(p));
    return files
      .map((f) => `--- ${f.slice(this.userDataDir.length + 1)}\n${tailOf(readFileSync(f, 'utf8'), lines)}`)
      .join('\n');
  }

  /** Copies VS Code's log folder into this run's output folder (kept for CI artifacts). */
  saveLogs(): void {
    const logs = join(this.userDataDir, 'logs');
    if (existsSync(logs)) cpSync(logs, join(this.outputDir, 'vscode-logs'), { recursive: true });
    writeFileSync(join(this.outputDir, 'browser-console.log'), this.browserLog.join('\n') + '\n');
  }

  /** Closes the browser and stops code-server and every process it started. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      await withTimeout(this.context.close(), 10_000, 'context.close');
    } catch {
      // The browser may already be gone; closing it below still kills the process.
    }
    try {
      await withTimeout(this.browser.close(), 10_000, 'browser.close');
    } catch {
      // Playwright kills the browser process on its own exit too.
    }
    await this.server.stop();
    try {
      this.saveLogs();
    } catch {
      // Best effort: logs are a debugging aid, never a reason to fail.
    }
    rmSync(this.server.tempDir, { recursive: true, force: true, maxRetries: 3 });
  }

  private async focusWorkbench(): Promise<void> {
    // Keyboard shortcuts go to whatever has focus; a webview iframe would swallow them.
    // Clicking the status bar gives focus back to the workbench without side effects.
    const statusbar = this.page.locator('.part.statusbar');
    if (await statusbar.isVisible()) await statusbar.click({ position: { x: 2, y: 2 } }).catch(() => undefined);
  }

  private async closeQuickInput(): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    if (await widget.isVisible()) {
      await this.page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
  }
}

/** Starts code-server and Chromium and opens the workspace; resolves when the workbench is up. */
export async function startWorkbench(name: string, options: WorkbenchOptions = {}): Promise<Workbench> {
  if (!existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed (${CODE_SERVER_ENTRY}); run: bash scripts/install-code-server.sh`);
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} missing; run: bash scripts/install-code-server.sh`);
  const startTimeoutMs = options.startTimeoutMs ?? 90_000;
  const startDeadline = Date.now() + startTimeoutMs;
  const remaining = (): number => Math.max(1_000, startDeadline - Date.now());
  const workspace = resolve(REPO_ROOT, options.workspace ?? SAMPLE_WORKSPACE);
  if (!statSync(workspace, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`workspace ${workspace} is not a folder`);
  const outputDir = join(OUTPUT_DIR, safeName(name));
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });

  const trust = options.restrictedMode === true ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  const server = await CodeServer.start({
    workspace,
    settings: { ...BASE_SETTINGS, ...trust, ...options.settings },
    restrictedMode: options.restrictedMode === true,
    env: options.env ?? {},
    withExtension: options.withExtension ?? true,
    logFile: join(outputDir, 'code-server.log'),
    timeoutMs: startTimeoutMs,
  });

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: remaining(),
      // Crash reports and caches go to the run's temp dir, not ~/.config/chromium.
      env: { ...process.env, XDG_CONFIG_HOME: join(server.tempDir, 'chromium-config'), XDG_CACHE_HOME: join(server.tempDir, 'chromium-cache') },
    });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    const url = `http://127.0.0.1:${server.port}/?${new URLSearchParams({ folder: workspace }).toString()}`;
    const wb = new Workbench(name, server, browser, context, page, {
      port: server.port,
      url,
      workspace,
      outputDir,
      userDataDir: server.userDataDir,
    });
    const record = (kind: string, text: string): void => {
      wb.browserLog.push(`${new Date().toISOString()} [${kind}] ${text}`);
    };
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error' || msg.type() === 'warning') record(msg.type(), msg.text());
    });
    page.on('pageerror', (err: Error) => record('pageerror', err.stack ?? err.message));
    page.on('crash', () => record('crash', 'page crashed'));
    try {
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: remaining() });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: remaining() });
      // The status bar is the last part laid out; shortcuts work from then on.
      await page
        .locator('.part.statusbar')
        .waitFor({ state: 'visible', timeout: remaining() });
    } catch (err) {
      await page.screenshot({ path: join(OUTPUT_DIR, `${safeName(name)}-start-failure.png`) }).catch(() => undefined);
      await wb.stop();
      throw new Error(`workbench did not load at ${url}\n${server.tail(40)}`, { cause: err });
    }
    return wb;
  } catch (err) {
    if (browser?.isConnected()) await browser.close().catch(() => undefined);
    await server.stop();
    rmSync(server.tempDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Runs `fn` against a fresh workbench. On failure: screenshot test-output/e2e/<name>-failure.png,
 * print the tails of code-server's output, the extension host log and the browser console,
 * then rethrow. Always stops everything.
 */
export async function withWorkbench<T>(
  name: string,
  fn: (wb: Workbench) => Promise<T>,
  options: WorkbenchOptions = {},
): Promise<T> {
  const wb = await startWorkbench(name, options);
  const budgetMs = options.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`withWorkbench(${name}): gave up after ${budgetMs} ms`)), budgetMs);
  });
  try {
    // If the budget runs out, stop() below closes the browser, which fails fn's pending steps.
    return await Promise.race([fn(wb), expired]);
  } catch (err) {
    const shot = await wb.screenshot(`${name}-failure`).catch((e: unknown) => `(screenshot failed: ${String(e)})`);
    const report = [
      `\n[e2e:${name}] FAILED: ${err instanceof Error ? err.message : String(err)}`,
      `[e2e:${name}] screenshot: ${shot}`,
      `[e2e:${name}] logs: ${wb.outputDir}`,
      `[e2e:${name}] --- code-server output (tail) ---`,
      wb.serverLogTail(40),
      `[e2e:${name}] --- extension host log (tail) ---`,
      safely(() => wb.extensionHostLogTail(40)),
      `[e2e:${name}] --- browser console errors (tail) ---`,
      wb.browserLog.slice(-30).join('\n'),
    ];
    console.error(report.join('\n'));
    throw err;
  } finally {
    clearTimeout(timer);
    await wb.stop();
  }
}

/** code-server in its own process group, on a free loopback port, with a throwaway profile. */
class CodeServer {
  private readonly lines: string[] = [];
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitPromise: Promise<void>;
  private readonly killOnExit = (): void => this.killGroup('SIGKILL');
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly tempDir: string,
    readonly userDataDir: string,
    private readonly log: WriteStream,
  ) {
    this.exitPromise = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        resolveExit();
      });
    });
    const collect = (chunk: Buffer): void => {
      log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') this.lines.push(line);
      if (this.lines.length > 2_000) this.lines.splice(0, this.lines.length - 1_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    // If the test process dies without stop(), do not leave a server behind.
    process.once('exit', this.killOnExit);
  }

  static async start(opts: {
    workspace: string;
    settings: Record<string, unknown>;
    restrictedMode: boolean;
    env: Record<string, string>;
    withExtension: boolean;
    logFile: string;
    timeoutMs: number;
  }): Promise<CodeServer> {
    const deadline = Date.now() + opts.timeoutMs;
    // A free port can be taken between probing and binding: retry with a new one.
    for (let attempt = 1; ; attempt++) {
      const tempDir = mkdtempSync(join(tmpdir(), 'ktl-e2e-'));
      const userDataDir = join(tempDir, 'user-data');
      const extensionsDir = join(tempDir, 'extensions');
      mkdirSync(join(userDataDir, 'User'), { recursive: true });
      mkdirSync(extensionsDir, { recursive: true });
      writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(opts.settings, null, 2));
      if (opts.withExtension) symlinkSync(REPO_ROOT, join(extensionsDir, extensionFolderName()), 'dir');
      // Own config file: otherwise code-server writes ~/.config/code-server/config.yaml.
      const configFile = join(tempDir, 'config.yaml');
      writeFileSync(configFile, 'auth: none\ncert: false\n');

      const port = await freePort();
      const log = createWriteStream(opts.logFile, { flags: 'a' });
      const args = [
        CODE_SERVER_ENTRY,
        '--config', configFile,
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${port}`,
        '--user-data-dir', userDataDir,
        '--extensions-dir', extensionsDir,
        '--disable-telemetry',
        '--disable-update-check',
        ...(opts.restrictedMode ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override',
        '--ignore-last-opened',
        opts.workspace,
      ];
      log.write(`$ ${process.execPath} ${args.join(' ')}\n`);
      const child = spawn(process.execPath, args, {
        cwd: tempDir,
        // XDG dirs of its own: code-server keeps logs and a heartbeat file under
        // $XDG_DATA_HOME/code-server, which would otherwise be shared with every other run.
        env: {
          ...serverEnv(),
          ...opts.env,
          XDG_DATA_HOME: join(tempDir, 'xdg-data'),
          XDG_CONFIG_HOME: join(tempDir, 'xdg-config'),
          XDG_CACHE_HOME: join(tempDir, 'xdg-cache'),
        },
        // Own process group, so stop() can kill code-server and the extension host, pty
        // host and file watcher it spawns, by our pid only.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const server = new CodeServer(child, port, tempDir, userDataDir, log);
      try {
        await server.waitUntilAnswering(deadline);
        return server;
      } catch (err) {
        const tail = server.tail(30);
        await server.stop();
        rmSync(tempDir, { recursive: true, force: true });
        if (attempt < 3 && /EADDRINUSE/.test(tail) && Date.now() < deadline) continue;
        throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- code-server output ---\n${tail}`, {
          cause: err,
        });
      }
    }
  }

  tail(lines: number): string {
    return this.lines.slice(-lines).join('\n');
  }

  async stop(): Promise<void> {
    if (this.stopping !== undefined) return this.stopping;
    this.stopping = this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    if (this.exited === undefined) {
      this.killGroup('SIGTERM');
      const gone = await Promise.race([this.exitPromise.then(() => true), sleep(5_000).then(() => false)]);
      if (!gone) this.killGroup('SIGKILL');
      await Promise.race([this.exitPromise, sleep(5_000)]);
    }
    // Children (extension host, pty host) may outlive the leader: sweep the group once more.
    this.killGroup('SIGKILL');
    await new Promise<void>((done) => this.log.end(done));
  }

  private killGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  private async waitUntilAnswering(deadline: number): Promise<void> {
    const url = `http://127.0.0.1:${this.port}/healthz`;
    for (;;) {
      if (this.exited !== undefined) {
        throw new Error(`code-server exited early (code ${this.exited.code}, signal ${this.exited.signal})`);
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() >= deadline) throw new Error(`code-server did not answer ${url} in time`);
      await sleep(200);
    }
  }
}

/** `publisher.name-version`, the folder name VS Code expects in an extensions dir. */
export function extensionFolderName(): string {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  return `${pkg.publisher}.${pkg.name}-${pkg.version}`;
}

/** The environment for code-server: ours minus what would make it attach to another instance or port. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // VSCODE_IPC_HOOK_CLI makes code-server hand the folder to an already running VS Code;
    // PORT overrides --bind-addr's port.
    if (key.startsWith('VSCODE_') || key === 'PORT' || key.startsWith('CODE_SERVER_')) continue;
    env[key] = value;
  }
  return env;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('no port'));
        return;
      }
      srv.close(() => resolvePort(addr.port));
    });
  });
}

function findRepoRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'kernel-trace-lens') return dir;
      } catch {
        // Not JSON: keep looking up.
      }
    }
    if (dirname(dir) === dir) throw new Error(`no kernel-trace-lens package.json above ${from}`);
  }
}

function findFiles(dir: string, match: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findFiles(p, match));
    else if (match(p)) out.push(p);
  }
  return out.sort();
}

function tailOf(text: string, lines: number): string {
  return text.split('\n').slice(-lines - 1).join('\n');
}

/** Matches an element whose whole text is `text` (hasText with a string matches substrings). */
function exactText(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}

function safely(fn: () => string): string {
  try {
    return fn();
  } catch (err) {
    return `(unavailable: ${String(err)})`;
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Absolute path of a file in the sample workspace. */
export function samplePath(relativePath: string): string {
  return isAbsolute(relativePath) ? relativePath : join(SAMPLE_WORKSPACE, relativePath);
}
