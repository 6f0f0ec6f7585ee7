/** The hover's mapping words: a kprobe at `sym+off` says why the offset is not on its exact line. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HitEntry } from '../../src/core/analysis/hits';
import { mappingText } from '../../src/extension/mapping-text';

const KPROBE: HitEntry = {
  event: 'p___xsk_rcv_zc_0',
  file: 'net/xdp/xsk.c',
  line: 137,
  function: '__xsk_rcv_zc',
  count: 5,
  cpus: { '1': 5 },
  tasks: {},
  mapping: 'probe-symbol',
  ambiguous: false,
  note: null,
  vars: {},
};

test('kprobe at an offset: the reason names Restricted Mode there, not a missing vmlinux setting', () => {
  const restricted = mappingText(KPROBE, 'restricted');
  assert.match(restricted, /Restricted Mode/);
  assert.doesNotMatch(restricted, /not set/, 'in Restricted Mode the setting may well be set: it is addr2line that is not run');
  assert.match(mappingText(KPROBE, 'unset'), /kernelTrace\\\.vmlinux is not set/);
  assert.match(mappingText(KPROBE, 'set'), /did not resolve/);
});

test('the function name from the trace is Markdown-escaped', () => {
  const text = mappingText({ ...KPROBE, function: '*evil*_[x](y)' }, 'unset');
  assert.ok(text.includes('\\*evil\\*\\_\\[x\\]\\(y\\)'), text);
});
