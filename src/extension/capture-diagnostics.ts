/**
 * A capture's findings (`ktl findings`: truncated frames, lengths that lie, bad checksums, echo
 * requests without replies, periodic flows that stop, ...) as diagnostics on the capture file,
 * so they are listed in the Problems view.
 *
 * Range: a capture has no text lines, so a finding about packet N sits on line N-1 (the
 * Problems view shows "Ln N" for packet N and sorts by packet). Each diagnostic's code is a
 * link ("packet N") running `kernelTrace.selectPacket`, which selects that packet in the
 * capture's editor: clicking the entry itself only reveals the editor (VS Code hands custom
 * editors no selection), the code link selects the packet.
 */
import * as vscode from 'vscode';
import type { CaptureFinding } from '../protocol/messages';
import type { TraceDocument } from './trace-document';
import type { TraceEditorProvider } from './trace-editor';

export const SELECT_PACKET_COMMAND = 'kernelTrace.selectPacket';
const SOURCE = 'Kernel Trace Lens';
const CAPTURE_FORMATS = new Set(['pcap', 'pcapng']);

const SEVERITY: Record<CaptureFinding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  note: vscode.DiagnosticSeverity.Information,
};

/** The diagnostic of one finding on the capture at `uri`. */
export function findingDiagnostic(uri: vscode.Uri, f: CaptureFinding): vscode.Diagnostic {
  const line = f.packet === null ? 0 : f.packet - 1;
  const message = f.packet === null ? f.message : `packet ${f.packet}: ${f.message}`;
  const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 0), message, SEVERITY[f.severity]);
  d.source = SOURCE;
  if (f.packet !== null) {
    const args = encodeURIComponent(JSON.stringify([uri.toString(), f.packet]));
    d.code = { value: `${f.kind} · packet ${f.packet}`, target: vscode.Uri.parse(`command:${SELECT_PACKET_COMMAND}?${args}`) };
  } else d.code = f.kind;
  return d;
}

export class CaptureDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kernelTrace.captureFindings');
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly provider: TraceEditorProvider) {
    this.subs.push(
      provider.onDidOpenDocument((doc) => this.track(doc)),
      vscode.commands.registerCommand(SELECT_PACKET_COMMAND, (uri: unknown, packet: unknown) => this.selectPacket(uri, packet)),
    );
  }

  private track(doc: TraceDocument): void {
    let published = false;
    const publish = (): void => {
      const s = doc.loadState;
      if (published || s.kind !== 'loaded' || !CAPTURE_FORMATS.has(s.summary.format)) return;
      published = true;
      doc.findings().then(
        ({ findings }) => this.collection.set(doc.uri, findings.map((f) => findingDiagnostic(doc.uri, f))),
        () => undefined, // the worker exited or the document closed: nothing to publish
      );
    };
    const sub = doc.onDidChangeState(publish);
    publish();
    doc.onDidDispose(() => {
      sub.dispose();
      this.collection.delete(doc.uri);
    });
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
