/**
 * A capture's findings (`ktl findings`: truncated frames, lengths that lie, bad checksums, echo
 * requests without replies, periodic flows that stop, ...) as diagnostics, listed in the
 * Problems view.
 *
 * Opening an entry selects its packet in the capture's editor. VS Code passes the entry's range
 * to text editors only (a custom editor gets the resource, never the selection), so the
 * diagnostics sit on a findings document of the capture (`kernel-trace-findings:` scheme, the
 * capture's path + `.findings`, text from capture-findings-text.ts: packet N on line N-1). When
 * the Problems view opens that document, its editor is replaced by the capture's (revealed where
 * it is open, else beside the trace editor, else where the document opened) with the packet
 * selected. Each diagnostic's code is also a link ("packet N") running `kernelTrace.selectPacket`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CaptureFinding } from '../protocol/messages';
import type { TraceDocument } from './trace-document';
import type { TraceEditorProvider } from './trace-editor';
import { findingPosition, findingsText, packetAt } from './capture-findings-text';

export const SELECT_PACKET_COMMAND = 'kernelTrace.selectPacket';
export const FINDINGS_SCHEME = 'kernel-trace-findings';
const SOURCE = 'Kernel Trace Lens';
const CAPTURE_FORMATS = new Set(['pcap', 'pcapng']);
/** Wait after a findings editor shows up for the Problems view's selection to land (ms). */
const SELECTION_SETTLE_MS = 50;

const SEVERITY: Record<CaptureFinding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  note: vscode.DiagnosticSeverity.Information,
};

/** The findings document of the capture at `capture` (where its diagnostics sit). */
export function findingsUri(capture: vscode.Uri): vscode.Uri {
  return capture.with({ scheme: FINDINGS_SCHEME, path: `${capture.path}.findings`, query: '', fragment: '' });
}

/** The diagnostic of one finding of the capture at `capture`. */
export function findingDiagnostic(capture: vscode.Uri, f: CaptureFinding): vscode.Diagnostic {
  const { line, character } = findingPosition(f);
  const message = f.packet === null ? f.message : `packet ${f.packet}: ${f.message}`;
  const d = new vscode.Diagnostic(new vscode.Range(line, character, line, character), message, SEVERITY[f.severity]);
  d.source = SOURCE;
  if (f.packet !== null) {
    const args = encodeURIComponent(JSON.stringify([capture.toString(), f.packet]));
    d.code = { value: `${f.kind} · packet ${f.packet}`, target: vscode.Uri.parse(`command:${SELECT_PACKET_COMMAND}?${args}`) };
  } else d.code = f.kind;
  return d;
}

export class CaptureDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kernelTrace.captureFindings');
  private readonly subs: vscode.Disposable[] = [];
  /** Published findings by findings-document URI: the capture they are about, and the findings. */
  private readonly published = new Map<string, { capture: vscode.Uri; findings: readonly CaptureFinding[] }>();
  /** Findings documents waiting for their selection to settle before they are turned into the capture. */
  private readonly settling = new Set<string>();

  constructor(private readonly provider: TraceEditorProvider) {
    this.subs.push(
      provider.onDidOpenDocument((doc) => this.track(doc)),
      vscode.commands.registerCommand(SELECT_PACKET_COMMAND, (uri: unknown, packet: unknown) => this.selectPacket(uri, packet)),
      vscode.workspace.registerTextDocumentContentProvider(FINDINGS_SCHEME, {
        provideTextDocumentContent: (uri) => {
          const p = this.published.get(uri.toString());
          return p ? findingsText(path.basename(p.capture.path), p.findings) : '';
        },
      }),
      // The Problems view opened an entry: its editor shows the findings document at the entry.
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.opened(e)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.opened(e.textEditor)),
    );
  }

  private track(doc: TraceDocument): void {
    let published = false;
    const key = findingsUri(doc.uri).toString();
    const publish = (): void => {
      const s = doc.loadState;
      if (published || s.kind !== 'loaded' || !CAPTURE_FORMATS.has(s.summary.format)) return;
      published = true;
      doc.findings().then(
        ({ findings }) => {
          this.published.set(key, { capture: doc.uri, findings });
          this.collection.set(findingsUri(doc.uri), findings.map((f) => findingDiagnostic(doc.uri, f)));
        },
        () => undefined, // the worker exited or the document closed: nothing to publish
      );
    };
    const sub = doc.onDidChangeState(publish);
    publish();
    doc.onDidDispose(() => {
      sub.dispose();
      this.collection.delete(findingsUri(doc.uri));
      this.published.delete(key);
    });
  }

  /** An editor of a findings document: once the selection has landed, the capture's editor instead, at that packet. */
  private opened(editor: vscode.TextEditor): void {
    const uri = editor.document.uri;
    const key = uri.toString();
    if (uri.scheme !== FINDINGS_SCHEME || this.settling.has(key)) return;
    this.settling.add(key);
    setTimeout(() => {
      this.settling.delete(key);
      void this.replace(editor);
    }, SELECTION_SETTLE_MS);
  }

  private async replace(editor: vscode.TextEditor): Promise<void> {
    const key = editor.document.uri.toString();
    const p = this.published.get(key);
    if (!p) return;
    const at = editor.selection.active;
    const packet = packetAt(at.line, at.character, p.findings);
    const column = editor.viewColumn;
    // The capture first (so the group does not empty and close), then the findings tab goes.
    await this.provider.revealPacket(p.capture, packet === null ? null : packet - 1, { fallbackColumn: column });
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
  }

  /** `kernelTrace.selectPacket(uri, packet)`: open the capture (or reveal its editor) and select packet `packet` (1-based). */
  private async selectPacket(uriArg: unknown, packet: unknown): Promise<void> {
    if (typeof uriArg !== 'string' || typeof packet !== 'number' || !Number.isSafeInteger(packet) || packet < 1) return;
    await this.provider.revealPacket(vscode.Uri.parse(uriArg), packet - 1);
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
    this.collection.dispose();
  }
}
