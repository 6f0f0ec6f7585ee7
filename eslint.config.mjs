// ESLint flat config. The room import rules of DESIGN.md are enforced here:
//   core      imports nothing of ours outside core; no `vscode`; node builtins only in core/io
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

export default tseslint.config(
  { ignores: ['dist/**', 'dist-vsix/**', 'node_modules/**', '.vscode-test/**', 'test-output/**', 'bench/data/**', 'test/fixtures/**', 'sample/**'] },
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
  room(
    ['src/core/**/*.ts'],
    [
      { group: ['**/protocol/**', '**/extension/**', '**/worker/**', '**/cli/**', '**/webview/**'], message: 'core imports nothing of ours outside core.' },
      { group: ['node:*'], message: 'core is pure: file access lives in src/core/io.' },
    ],
    vscodeBan,
  ),
  room(['src/core/io/**/*.ts'], [{ group: ['**/protocol/**', '**/extension/**', '**/worker/**', '**/cli/**', '**/webview/**'], message: 'core imports nothing of ours outside core.' }], vscodeBan),
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
    },
  },
);
