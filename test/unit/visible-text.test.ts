// Control, zero-width and bidirectional characters as visible escapes (issue #10 items 1 and 9):
// the one function behind script comments, hovers (escapeMd) and the webview's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleText } from '../../src/core/trace/visible-text';
import { escapeMd } from '../../src/extension/markdown-text';

/** Code points that must never be shown as themselves (the list, written out). */
const HIDDEN: [number, number][] = [
  [0x00, 0x1f], // C0, including \t \n \r and ESC
  [0x7f, 0x9f], // DEL and C1 (NEL, CSI, ...)
  [0x061c, 0x061c], // ALM, the Arabic letter mark (a bidi mark)
  [0x200b, 0x200f], // zero-width space/non-joiner/joiner, LRM, RLM
  [0x2028, 0x2029], // line and paragraph separators
  [0x202a, 0x202e], // LRE RLE PDF LRO RLO
  [0x2066, 0x2069], // LRI RLI FSI PDI
  [0xfeff, 0xfeff], // BOM / zero-width no-break space
];

test('every hidden character becomes an escape that names it; everything else is kept', () => {
  for (const [lo, hi] of HIDDEN) {
    for (let c = lo; c <= hi; c++) {
      const shown = visibleText(`a${String.fromCharCode(c)}b`);
      const named = c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
      assert.equal(shown, `a${named}b`, `U+${c.toString(16)}`);
    }
  }
  for (const kept of ['plain', 'é✓日 \u00a0nbsp', '😀 surrogates', '<script>', 'a\\nb (a backslash and n)', '\u2010 hyphen \u2030 per mille']) assert.equal(visibleText(kept), kept);
  assert.equal(visibleText('frame 1\nframe 2\r\n\u2028', true), 'frame 1\nframe 2\\r\n\\u2028', 'keepLineBreaks keeps only \\n');
});

test('hover Markdown: escapes first, then Markdown punctuation, so a bidi override or a line break is visible and inert', () => {
  assert.equal(escapeMd('user=\u202etoor\u202c'), 'user\\=\\\\u202etoor\\\\u202c');
  assert.equal(escapeMd('a\n# heading'), 'a\\\\n\\# heading');
  assert.equal(escapeMd('x'.repeat(100)).length, 80);
});
