// The findings document the Problems view opens for a capture (src/extension/capture-findings-text.ts):
// packet N's finding on line N-1, the whole file's at line 0 column 1, and back from a selection
// to the packet, for the findings `ktl findings` gives on the sample capture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findingPosition, findingsText, packetAt } from '../../src/extension/capture-findings-text';
import type { CaptureFinding } from '../../src/protocol/messages';

const CLI = 'dist/cli.js';
const CAPTURE = 'test/fixtures/pcap/host-a.pcap';

test('every finding of a real capture: its line holds its text, and its position reads back as its packet', { skip: existsSync(CLI) ? false : 'needs `npm run build` (dist/cli.js)' }, () => {
  const findings = execFileSync(process.execPath, [CLI, 'findings', CAPTURE, '--json'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as CaptureFinding & { packet?: number })
    .map((f) => ({ kind: f.kind, severity: f.severity, packet: f.packet ?? null, message: f.message }));
  assert.ok(findings.some((f) => f.packet === 64), 'packet 64 has a finding (seed 004: its IP length lies)');
  const lines = findingsText('host-a.pcap', findings).split('\n');
  for (const f of findings) {
    const { line, character } = findingPosition(f);
    assert.ok((lines[line] ?? '').includes(f.message), `line ${line} holds "${f.message}"`);
    assert.ok((lines[line] ?? '').length >= character, 'the position is inside the text (VS Code would clamp it)');
    assert.equal(packetAt(line, character, findings), f.packet);
  }
});

test('the whole file\'s findings never read as packet 1; lines without a finding select nothing; text stays on its line', () => {
  const findings: CaptureFinding[] = [
    { kind: 'truncated-file', severity: 'error', packet: null, message: 'cut\nshort' },
    { kind: 'bad-checksum', severity: 'warning', packet: 1, message: 'checksum 0x0000' },
    { kind: 'echo-unanswered', severity: 'note', packet: 4, message: 'no reply' },
  ];
  const lines = findingsText('x.pcap', findings).split('\n');
  assert.equal(lines.length, 5, 'four lines (packets 1-4) and the final newline');
  assert.equal(lines[0], 'x.pcap: truncated-file: cut short · packet 1: bad-checksum: checksum 0x0000');
  assert.equal(lines[3], 'packet 4: echo-unanswered: no reply');
  assert.deepEqual(findingPosition(findings[0] as CaptureFinding), { line: 0, character: 1 });
  assert.equal(packetAt(0, 1, findings), null);
  assert.equal(packetAt(0, 0, findings), 1);
  assert.equal(packetAt(1, 0, findings), null);
  assert.equal(packetAt(3, 0, findings), 4);
  // Only a whole-file finding: line 0 still has a column 1.
  assert.ok(findingsText('y.pcap', [{ kind: 'k', severity: 'note', packet: null, message: '' }]).split('\n')[0]!.length >= 2);
});
