/**
 * Pure: a capture's findings as a text document, so that the Problems view can say which one
 * was opened. VS Code hands a custom editor no selection when a diagnostic is opened
 * (microsoft/vscode#205209, closed out of scope: the markers view calls openEditor with
 * `options.selection`, and a custom editor's resolve gets the resource only). A text editor
 * gets the selection; so the diagnostics sit on this document, packet N's on line N-1 (the
 * Problems view shows "Ln N" for packet N), and capture-diagnostics.ts turns an editor of it
 * into the capture's editor with packet N selected. Findings about the whole file sit on
 * line 0, column 1, so they never read as packet 1 (column 0).
 *
 * The document's text: each line the findings of its packet (`packet N: message`), other
 * lines empty; finding text is the capture's (untrusted) and only ever shown as text.
 */
import type { CaptureFinding } from '../protocol/messages';

/** Where the diagnostic of finding `f` sits in the findings document (0-based line and column). */
export function findingPosition(f: Pick<CaptureFinding, 'packet'>): { line: number; character: number } {
  return f.packet === null ? { line: 0, character: 1 } : { line: f.packet - 1, character: 0 };
}

/** The findings document: line N-1 lists packet N's findings; line 0 also the whole file's (after a tab). */
export function findingsText(name: string, findings: readonly CaptureFinding[]): string {
  const byLine = new Map<number, string[]>();
  let last = 0;
  for (const f of findings) {
    const { line } = findingPosition(f);
    last = Math.max(last, line);
    const text = `${f.packet === null ? name : `packet ${f.packet}`}: ${f.kind}: ${f.message.replace(/[\r\n]+/g, ' ')}`;
    byLine.set(line, [...(byLine.get(line) ?? []), text]);
  }
  const lines: string[] = [];
  for (let k = 0; k <= last; k++) lines.push((byLine.get(k) ?? []).join(' · '));
  // Column 1 of line 0 must exist for the whole file's findings (VS Code clamps a selection to the text).
  if ((lines[0] ?? '').length < 2) lines[0] = `${name}: findings`;
  return `${lines.join('\n')}\n`;
}

/** The packet (1-based) a selection at (line, character) in the findings document stands for; null: the whole file or no finding there. */
export function packetAt(line: number, character: number, findings: readonly Pick<CaptureFinding, 'packet'>[]): number | null {
  if (line === 0 && character > 0) return null;
  const packet = line + 1;
  return findings.some((f) => f.packet === packet) ? packet : null;
}
