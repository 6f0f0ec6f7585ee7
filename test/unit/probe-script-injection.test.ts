// Generated probe scripts with hostile text in every part (issue #10 item 1): a `--var` value,
// the C file's path (header, warnings, the editor's `# NOTE:`), the tracefs folder. Each
// script must parse (`sh -n`, `bash -n`) and, run with a PATH of logging shims, run exactly
// the intended commands with the intended argv — and nothing like `touch PWNED`.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleNode } from '../../scripts/bundle-node.mjs';
import { lineProbeScript, unsavedNote, withNotes } from '../../src/core/probes/line-probe';
import { scriptLine } from '../../src/core/probes/shell';
import { visibleText } from '../../src/core/trace/visible-text';
import { runWithShims, shellParses } from '../helpers/shell-shims';
import type * as SourceService from '../../src/worker/source-service';

const PAYLOADS = [
  '\n',
  '\r',
  '\r\n',
  '$(touch PWNED)',
  '`touch PWNED`',
  "'",
  '"',
  ';',
  "'; touch PWNED; '",
  '"; touch PWNED; "',
  '\x1b]0;title\x07',
  '\u2028',
  '\u0085',
  '\u202e',
];
/** `x<payload>touch PWNED<payload>#`: a payload that ends a comment or a quote runs `touch`. */
const hostile = (p: string): string => `x${p}touch PWNED${p}#`;
const SHELLS = ['/bin/sh', '/bin/bash'].filter((s) => existsSync(s));

const dir = mkdtempSync(join(tmpdir(), 'ktl-probe-inject-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;

interface Intended {
  readonly fn: string;
  readonly rel: number;
  readonly vars: readonly string[];
  readonly tracefs: string;
}

function intendedCalls(o: Intended): string[][] {
  const ev = o.rel > 0 ? `${o.fn}_L${o.rel}` : o.fn;
  const point = o.rel > 0 ? `${o.fn}:${o.rel}` : o.fn;
  return [
    ['perf', 'probe', '-L', o.fn],
    ['perf', 'probe', '-V', point],
    ['perf', 'probe', '-a', [point, ...o.vars].join(' ')],
    ['echo', '1'],
    ['cat', `${o.tracefs}/trace_pipe`],
    ['echo', '0'],
    ['perf', 'record', '-e', `probe:${ev}`, '-aR', '--', 'sleep', '10'],
    ['perf', 'script'],
    ['perf', 'probe', '-d', `probe:${ev}`],
    ...(o.rel === 0 ? [['bpftrace', '-e', `kprobe:${o.fn} { @[cpu] = count(); }`]] : []),
  ];
}

/** Parses and runs `script` under each shell; the enable file is written where intended. */
function assertRunsOnly(script: string, o: Intended, what: string): void {
  const ev = o.rel > 0 ? `${o.fn}_L${o.rel}` : o.fn;
  const enableDir = join(o.tracefs, 'events', 'probe', ev);
  mkdirSync(enableDir, { recursive: true });
  const file = join(dir, `script-${++runs}.sh`);
  writeFileSync(file, script);
  for (const sh of SHELLS) {
    const parsed = shellParses(sh, file);
    assert.ok(parsed.ok, `${sh} -n refuses the script for ${what}: ${parsed.stderr}\n${script}`);
    rmSync(join(enableDir, 'enable'), { force: true });
    const r = runWithShims(sh, file, dir, `run-${runs}-${sh.replace(/\W/g, '')}`);
    assert.equal(r.status, 0, `${sh}: ${what}: ${r.stderr}`);
    assert.deepEqual(r.calls, intendedCalls(o), `${sh} ran other commands for ${what}:\n${script}`);
    assert.deepEqual(r.leftInCwd, [], `${sh}: ${what} left files in the working folder`);
    assert.ok(existsSync(join(enableDir, 'enable')), `${sh}: ${what}: echo 1 went elsewhere than the enable file`);
  }
}

test('scriptLine: words quoted, comments one inert line', () => {
  assert.equal(scriptLine({ words: ['echo', '1', { syntax: '>' }, "/a b/it's"] }), `echo 1 > '/a b/it'\\''s'`);
  assert.equal(scriptLine({ comment: 'a\nb\r\nc\x1bd\u202ee\u2028f' }), '# a\\nb\\r\\nc\\x1bd\\u202ee\\u2028f');
  assert.equal(scriptLine({ words: ['true'], comment: '\n' }), 'true  # \\n');
  assert.equal(scriptLine({}), '');
  for (const p of PAYLOADS) assert.ok(!/[\n\r\u2028\u0085]/.test(scriptLine({ comment: hostile(p) })), JSON.stringify(p));
});

test('every part of a line probe script holds hostile text inertly (sh -n, logging shims)', () => {
  PAYLOADS.forEach((p, i) => {
    const h = hostile(p);
    const rel = i % 2 === 0 ? 7 : 0;
    const base = { function: 'probe_me', relativeLine: rel, file: 'net/x.c', line: 12, variables: ['a', 'nope'], inScope: new Set(['a']), tracefs: join(dir, 'tracefs') };
    const intended = { fn: 'probe_me', rel, vars: ['a'], tracefs: base.tracefs };
    const parts: [string, Parameters<typeof lineProbeScript>[0], string[]][] = [
      ['a --var value', { ...base, variables: ['a', h] }, []],
      ['the file path (header and warning)', { ...base, file: h }, []],
      ['the editor note quoting the file', { ...base, file: h }, [unsavedNote(h)]],
    ];
    for (const [what, input, notes] of parts) {
      const s = withNotes(lineProbeScript(input).script, notes);
      assert.ok(s.includes(visibleText(h)), `${what}: the text is shown with escapes`);
      assertRunsOnly(s, intended, `${what} = ${JSON.stringify(h)}`);
    }
    // Quoted words: a tracefs folder whose name holds the payload is still one argument.
    const tracefs = join(dir, `tracefs${h}`);
    assertRunsOnly(lineProbeScript({ ...base, tracefs }).script, { ...intended, tracefs }, `--tracefs ${JSON.stringify(tracefs)}`);
    // A function name is a C identifier or nothing.
    assert.throws(() => lineProbeScript({ ...base, function: h }), /not a C function name/);
  });
});

const C_FILE = '// test source\nstatic int probe_me(int a, int b)\n{\n\tint c = a + b;\n\treturn c;\n}\n';

function sourceTree(name: string, fileName: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'net'), { recursive: true });
  writeFileSync(join(root, 'net', fileName), C_FILE);
  return root;
}

test('ktl probe with a hostile --var and a hostile file name: the script runs only perf/echo/cat', async () => {
  const cli = await bundleNode('src/cli/main.ts', join(dir, 'cli', 'cli.js'));
  const file = 'x\ntouch PWNED\n#.c';
  const root = sourceTree('cli-src', file);
  const tracefs = join(dir, 'cli-tracefs');
  for (const v of ['x\ntouch PWNED #', 'x\r\ntouch PWNED #', "x'$(touch PWNED)`touch PWNED`\"; touch PWNED"]) {
    const r = spawnSync(process.execPath, [cli, 'probe', `net/${file}:4`, '--source', root, '--var', v, '--var', 'a', '--tracefs', tracefs], {
      encoding: 'utf8',
      env: { ...process.env, KTL_CACHE_DIR: join(dir, 'cli-cache') },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.includes(`# WARNING: "${visibleText(v)}" is not a C identifier`), r.stdout);
    assert.ok(r.stdout.includes(`# Probe net/${visibleText(file)}:4 = probe_me:2`), r.stdout);
    assertRunsOnly(r.stdout, { fn: 'probe_me', rel: 2, vars: ['a'], tracefs }, `ktl probe --var ${JSON.stringify(v)}`);
  }
});

test('Probe This Line on a file named x<LF>touch PWNED<LF>#.c: the worker script plus the editor note run only the intended commands', async () => {
  // The extension asks the worker's source service (bundled as it ships, tree-sitter beside it)
  // and adds the unsaved-changes note; nothing of vscode is needed for either.
  const out = await bundleNode('src/worker/source-service.ts', join(dir, 'worker', 'source-service.js'));
  const service = createRequire(__filename)(out) as typeof SourceService;
  const rel = 'net/x\ntouch PWNED\n#.c';
  const root = sourceTree('ext-src', 'x\ntouch PWNED\n#.c');
  const reply = await service.probeLine({ sourceRoot: root, cacheDir: join(dir, 'ext-cache') }, rel, 4, ['b->x', 'nope']);
  const script = withNotes(reply.script, [unsavedNote(rel)]);
  assert.ok(script.includes('# NOTE: net/x\\ntouch PWNED\\n#.c has unsaved changes'), script);
  // The worker's script uses the default tracefs: point it at a folder of ours for the run.
  const tracefs = join(dir, 'ext-tracefs');
  assertRunsOnly(script.split('/sys/kernel/tracing/').join(`${tracefs}/`), { fn: 'probe_me', rel: 2, vars: ['b->x'], tracefs }, 'a hostile file name in the editor');
});
