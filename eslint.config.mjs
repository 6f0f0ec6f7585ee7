// ESLint flat config. The room import rules of DESIGN.md are enforced here:
//   core      imports nothing of ours outside core; no `vscode`; node builtins only in core/io;
//             inside it: formats/ (a room per kind), net/ and trace/ import no analysis, config,
//             source, probes or io; a format room no other format's room; analysis/lifecycle/
//             and analysis/capture/ not each other
//   protocol  imports core types only
//   extension, worker, cli  import core and protocol (only extension may import `vscode`)
//   webview   imports protocol only
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const room = (files, patterns, extra = {}) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns, ...extra }] },
});

const vscodeBan = { paths: [{ name: 'vscode', message: 'Only src/extension may import vscode.' }] };

// A file matched by several rooms gets the last room's rule only (flat config replaces a rule):
// every core room below repeats CORE.
const CORE = [
  { group: ['**/protocol/**', '**/extension/**', '**/worker/**', '**/cli/**', '**/webview/**'], message: 'core imports nothing of ours outside core.' },
  { group: ['node:*'], message: 'core is pure: file access lives in src/core/io.' },
];
// config/user-regex is the one engine for users' regular expressions (the printf pattern too).
const ABOVE_FORMATS = {
  group: ['**/analysis/**', '**/config/**', '!**/config/user-regex', '**/source/**', '**/probes/**', '**/io/**'],
  message: 'readers know nothing of the analyses, the config (but its user-regex engine), the source index or the files.',
};
const FORMAT_ROOMS = ['ftrace', 'trace-dat', 'trace-cmd-report', 'capture', 'strace', 'printf', 'perf-script'];
// trace-cmd report and printf lines reuse ftrace's line parsing and page sniffing.
const MAY_USE_FTRACE = new Set(['trace-cmd-report', 'printf']);
const otherFormatRooms = (r) => ({
  group: FORMAT_ROOMS.filter((o) => o !== r && !(o === 'ftrace' && MAY_USE_FTRACE.has(r))).map((o) => `../${o}/**`),
  message: `a format room imports no other format's room (${r}/ reads its own kind).`,
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist-vsix/**', 'node_modules/**', '.vscode-test/**', 'test-output/**', 'bench/data/**', 'test/fixtures/**', 'sample/**', 'src/**/*.as.ts', 'src/**/*-wasm.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  room(['src/core/**/*.ts'], CORE, vscodeBan),
  // Rooms inside core (each README says what it may import). A format room reads its own kind:
  // it imports the shared files at the top of formats/, trace/ and net/, never another format's
  // room (ftrace/ excepted for the formats whose lines are ftrace's), never the analyses.
  room(['src/core/formats/**/*.ts', 'src/core/net/**/*.ts', 'src/core/trace/**/*.ts'], [...CORE, ABOVE_FORMATS], vscodeBan),
  ...FORMAT_ROOMS.map((r) => room([`src/core/formats/${r}/**/*.ts`], [...CORE, ABOVE_FORMATS, otherFormatRooms(r)], vscodeBan)),
  room(['src/core/net/**/*.ts', 'src/core/trace/**/*.ts'], [...CORE, ABOVE_FORMATS, { group: ['**/formats/**'], message: 'trace/ and net/ sit below the formats.' }], vscodeBan),
  room(['src/core/analysis/lifecycle/**/*.ts'], [...CORE, { group: ['**/analysis/capture/**', '../capture/**', '../../capture/**'], message: 'the lifecycle and capture analyses are separate rooms.' }], vscodeBan),
  room(['src/core/analysis/capture/**/*.ts'], [...CORE, { group: ['**/analysis/lifecycle/**', '../lifecycle/**'], message: 'the lifecycle and capture analyses are separate rooms.' }], vscodeBan),
  room(['src/core/io/**/*.ts'], [CORE[0]], vscodeBan),
  room(['src/protocol/**/*.ts'], [{ group: ['**/extension/**', '**/worker/**', '**/cli/**', '**/webview/**'], message: 'protocol imports core types only.' }], vscodeBan),
  room(['src/worker/**/*.ts', 'src/cli/**/*.ts'], [{ group: ['**/extension/**', '**/webview/**', '../worker/**', '../cli/**'], message: 'worker and cli import core and protocol only.' }], vscodeBan),
  room(['src/extension/**/*.ts'], [{ group: ['**/worker/**', '**/cli/**', '**/webview/**'], message: 'extension imports core and protocol only (the worker is reached through messages).' }]),
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/core/**', '**/extension/**', '**/worker/**', '**/cli/**'], message: 'webview imports protocol only.' }], ...vscodeBan },
      ],
      // Text reaches the page through dom.ts only (el/setText/setTitle put it through visibleText):
      // a tooltip or text set directly would show a trace's U+202E or ESC as itself.
      'no-restricted-syntax': [
        'error',
        ...['title', 'textContent', 'innerText', 'innerHTML', 'outerHTML'].map((name) => ({
          selector: `AssignmentExpression > MemberExpression.left[property.name='${name}']`,
          message: `set ${name} through dom.ts (el, setText, setTitle): trace text must pass visibleText.`,
        })),
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'never render text as HTML.' },
      ],
    },
  },
  // dom.ts is where text meets the page.
  { files: ['webview/dom.ts'], rules: { 'no-restricted-syntax': 'off' } },
);
