/**
 * "Kernel Trace: Record…" (palette, and from a probe script: its `perf probe -a` lines become
 * the recording's probes) and "Kernel Trace: Stop Recording". Runs where the extension host
 * runs — the workspace's machine, the remote one under Remote-SSH. As root it records in
 * this process (core/io/record-session.ts); otherwise it types `sudo … ktl record …` into a
 * terminal the user sees (sudo asks for the password there; nothing is stored) and follows
 * the CLI's status file. Refused in untrusted workspaces. The status bar shows events per CPU,
 * buffer fill and lost events, with a Stop item; at the end the trace (`traces/ktl-….trace`)
 * opens in the trace editor at its last event — where the trigger fired — and the summary
 * names what stopped it.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { record } from '../core/io/record-session';
import { Tracefs } from '../core/io/tracefs';
import { parseAvailableEvents } from '../core/record/plan';
import { probeSpecsOfScript, sudoRecordLine, type RecordCliArgs } from '../core/record/commands';
import { progressLine, type RecordProgress } from '../core/record/progress';
import { recordingFileName, stopReasonText } from '../core/record/trace-file';
import { askRecording } from './record-questions';
import { TRACE_VIEW_TYPE, type TraceEditorProvider } from './trace-editor';

interface Running {
  stop(): void;
  /** Settles when the recording has ended and cleaned up. */
  readonly done: Promise<void>;
}

export class Recorder implements vscode.Disposable {
  private readonly status = vscode.window.createStatusBarItem('kernelTrace.recording', vscode.StatusBarAlignment.Left, 100);
  private readonly stopItem = vscode.window.createStatusBarItem('kernelTrace.recordingStop', vscode.StatusBarAlignment.Left, 99);
  private running: Running | null = null;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly provider: TraceEditorProvider,
  ) {
    this.status.name = 'Kernel Trace Recording';
    this.stopItem.name = 'Kernel Trace: Stop Recording';
    this.stopItem.text = '$(debug-stop) Stop';
    this.stopItem.tooltip = 'Stop the recording and open the trace';
    this.stopItem.command = 'kernelTrace.stopRecording';
  }

  register(): vscode.Disposable[] {
    return [
      this,
      vscode.commands.registerCommand('kernelTrace.record', (uri?: unknown) => this.start(uri instanceof vscode.Uri ? uri : undefined)),
      vscode.commands.registerCommand('kernelTrace.stopRecording', () => this.running?.stop()),
    ];
  }

  async start(scriptUri: vscode.Uri | undefined): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Kernel Trace: recording runs commands as root, so it is refused in an untrusted workspace. Trust the folder first.');
      return;
    }
    if (this.running) {
      void vscode.window.showErrorMessage('Kernel Trace: a recording is already running (Stop it in the status bar first).');
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    if (!folder) {
      void vscode.window.showErrorMessage('Kernel Trace: open a folder first; the trace is saved in its traces/ folder.');
      return;
    }
    const probes = await this.probesFrom(scriptUri);
    const root = process.getuid?.() === 0;
    let available: string[] | null = null;
    try {
      const fs = root ? await Tracefs.open() : Tracefs.at('/sys/kernel/tracing');
      available = [...parseAvailableEvents(await fs.read('available_events'))];
    } catch (err) {
      if (root) {
        void vscode.window.showErrorMessage(`Kernel Trace: cannot record here: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
    }
    const a = await askRecording(available, probes);
    if (!a) return;
    await mkdir(join(folder.uri.fsPath, 'traces'), { recursive: true });
    const out = join(folder.uri.fsPath, 'traces', recordingFileName(new Date()));
    const args: RecordCliArgs = { ...a, probes, out };
    this.running = root ? this.runHere(args) : await this.runInTerminal(args, folder.uri.fsPath);
    this.status.text = '$(record) Recording…';
    this.status.show();
    this.stopItem.show();
    void vscode.commands.executeCommand('setContext', 'kernelTrace.recording', true);
    void this.running.done.finally(() => {
      this.running = null;
      this.status.hide();
      this.stopItem.hide();
      void vscode.commands.executeCommand('setContext', 'kernelTrace.recording', false);
    });
  }

  /** The `perf probe -a` lines of the given script, or of the active shell script editor. */
  private async probesFrom(uri: vscode.Uri | undefined): Promise<string[]> {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc || (uri === undefined && doc.languageId !== 'shellscript')) return [];
    return probeSpecsOfScript(doc.getText());
  }

  private showProgress(p: RecordProgress): void {
    // Events per CPU, the fullest CPU's buffer, lost (overrun + dropped): progress.ts.
    this.status.text = `$(record) ${progressLine(p)}`;
    this.status.tooltip = `Kernel Trace recording: ${progressLine(p)}`;
  }

  private runHere(a: RecordCliArgs): Running {
    const controller = new AbortController();
    const done = record(
      { ...a, command: a.command, commandStdio: 'ignore', signal: controller.signal },
      { onProgress: (p) => this.showProgress(p) },
    ).then(
      async (r) => {
        for (const p of r.cleanupProblems) void vscode.window.showWarningMessage(`Kernel Trace: cleanup: ${p}`);
        await this.openTrace(r.out, stopReasonText(r.stoppedBy), r.progress);
      },
      (err: unknown) => {
        void vscode.window.showErrorMessage(`Kernel Trace: recording failed: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
    return { stop: () => controller.abort(), done };
  }

  private async runInTerminal(a: RecordCliArgs, cwd: string): Promise<Running> {
    const dir = await mkdtemp(join(tmpdir(), 'ktl-status-'));
    const statusFile = join(dir, 'status.json');
    const cli = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'cli.js').fsPath;
    const terminal = vscode.window.createTerminal({ name: 'Kernel Trace: Record', cwd });
    terminal.show();
    // process.execPath is VS Code's node (Electron on a desktop: ELECTRON_RUN_AS_NODE makes it node).
    terminal.sendText(sudoRecordLine(process.execPath, cli, { ...a, statusFile }, ['env', 'ELECTRON_RUN_AS_NODE=1']), true);
    let closed = false;
    const sub = vscode.window.onDidCloseTerminal((t) => {
      if (t === terminal) closed = true;
    });
    const done = (async () => {
      try {
        for (;;) {
          await new Promise((r) => setTimeout(r, 500));
          const s = await readFile(statusFile, 'utf8').then((t) => JSON.parse(t) as { state?: string; message?: string; stoppedBy?: string; progress?: RecordProgress }, () => null);
          if (s?.progress) this.showProgress(s.progress);
          if (s?.state === 'done') return void (await this.openTrace(a.out, s.stoppedBy ?? '', s.progress ?? null));
          if (s?.state === 'error') return void vscode.window.showErrorMessage(`Kernel Trace: recording failed: ${s.message ?? ''}`);
          if (closed) return;
        }
      } finally {
        sub.dispose();
        await rm(dir, { recursive: true, force: true });
      }
    })();
    // Ctrl-C in the terminal: ktl saves the trace and cleans up.
    return { stop: () => terminal.sendText('\x03', false), done };
  }

  private async openTrace(out: string, stoppedBy: string, progress: RecordProgress | null): Promise<void> {
    const uri = vscode.Uri.file(out);
    await vscode.commands.executeCommand('vscode.openWith', uri, TRACE_VIEW_TYPE);
    await this.provider.selectLastEvent(uri);
    const rel = vscode.workspace.asRelativePath(uri);
    void vscode.window.showInformationMessage(`Kernel Trace: recording stopped by ${stoppedBy}${progress ? ` (${progress.events} events, ${progress.lost} lost)` : ''}; saved ${rel}.`);
  }

  /** VS Code closing: stop, and wait for the cleanup (the instance removed). */
  async shutdown(): Promise<void> {
    const r = this.running;
    if (!r) return;
    r.stop();
    await r.done;
  }

  dispose(): void {
    this.running?.stop();
    this.status.dispose();
    this.stopItem.dispose();
  }
}
