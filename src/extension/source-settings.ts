/**
 * Where the kernel source is, where the worker may cache its index, and which ripgrep to use.
 *
 * `kernelTrace.sourceRoot` defaults to the first workspace folder; `${workspaceFolder}` and
 * `${userHome}` are substituted, `~/` is expanded and a relative path is taken from the first
 * workspace folder. `kernelTrace.vmlinux` (addr2line for `sym+0xoff`) and `kernelTrace.kallsyms`
 * (raw addresses) are expanded the same way and travel to the workers in the SourceConfig.
 *
 * Restricted Mode (an untrusted workspace): the workspace's own values of these three settings
 * are ignored (restricted-settings.ts), no vmlinux is used (addr2line is a program) and the
 * workers are told to start no process at all (`restricted` in the SourceConfig: no ripgrep).
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SourceConfig } from '../protocol/worker-messages';
import { settingValue, type RestrictedSetting } from './restricted-settings';

export const SECTION = 'kernelTrace';

export interface SourceRoot {
  /** Absolute, normalised, without a trailing separator. */
  readonly path: string;
  /** Where it came from, for messages. */
  readonly origin: 'setting' | 'workspace';
}

/** A restricted setting's value, trimmed: the workspace's value only in a trusted workspace. */
function restrictedSetting(key: RestrictedSetting): string {
  const v = settingValue(vscode.workspace.getConfiguration(SECTION).inspect<string>(key), vscode.workspace.isTrusted);
  return typeof v === 'string' ? v.trim() : '';
}

function firstFolder(): string | undefined {
  const f = vscode.workspace.workspaceFolders?.[0];
  return f?.uri.scheme === 'file' ? f.uri.fsPath : undefined;
}

/** Expands `${workspaceFolder}`, `${workspaceFolder:name}`, `${userHome}` and `~/`. */
export function expandPath(raw: string): string | undefined {
  let unresolved = false;
  let s = raw.trim().replace(/\$\{(workspaceFolder(?::([^}]+))?|userHome)\}/g, (_m, key: string, name: string | undefined) => {
    if (key === 'userHome') return homedir();
    const folder = name ? vscode.workspace.workspaceFolders?.find((f) => f.name === name)?.uri.fsPath : firstFolder();
    if (folder === undefined) unresolved = true;
    return folder ?? '';
  });
  if (unresolved || s === '') return undefined;
  if (s === '~' || s.startsWith('~/')) s = path.join(homedir(), s.slice(1));
  if (!path.isAbsolute(s)) {
    const base = firstFolder();
    if (base === undefined) return undefined;
    s = path.join(base, s);
  }
  return path.resolve(s);
}

/** The configured source root if it is an existing folder, else undefined. */
export function sourceRoot(): SourceRoot | undefined {
  const raw = restrictedSetting('sourceRoot');
  const p = raw === '' ? firstFolder() : expandPath(raw);
  if (p === undefined) return undefined;
  try {
    if (!statSync(p).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  return { path: path.resolve(p), origin: raw === '' ? 'workspace' : 'setting' };
}

/** The raw setting, to say in messages what was configured when it does not resolve. */
export function sourceRootSetting(): string {
  return restrictedSetting('sourceRoot');
}

/** `kernelTrace.vmlinux`, or undefined — always in Restricted Mode, where addr2line is not run. */
export function vmlinuxPath(): string | undefined {
  if (!vscode.workspace.isTrusted) return undefined;
  const raw = restrictedSetting('vmlinux');
  return raw === '' ? undefined : expandPath(raw);
}

/** `kernelTrace.kallsyms`: a saved /proc/kallsyms for raw addresses, or undefined. */
export function kallsymsPath(): string | undefined {
  const raw = restrictedSetting('kallsyms');
  return raw === '' ? undefined : expandPath(raw);
}

/** `file` (absolute) relative to `root` with `/` separators, or undefined when it is outside. */
export function relativeToRoot(root: string, file: string): string | undefined {
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

export function sourceConfig(context: vscode.ExtensionContext, root: SourceRoot): SourceConfig {
  const storage = context.storageUri ?? context.globalStorageUri;
  const kallsyms = kallsymsPath();
  const vmlinux = vmlinuxPath();
  return {
    sourceRoot: root.path,
    cacheDir: path.join(storage.fsPath, 'source-index'),
    ...(kallsyms ? { kallsyms } : {}),
    ...(vmlinux ? { vmlinux } : {}),
    ...(vscode.workspace.isTrusted ? {} : { restricted: true }),
  };
}

/** Every folder the worker may have written an index cache to (workspace and global storage). */
export function cacheDirs(context: vscode.ExtensionContext): string[] {
  const dirs = [context.globalStorageUri.fsPath];
  if (context.storageUri) dirs.unshift(context.storageUri.fsPath);
  return dirs.map((d) => path.join(d, 'source-index'));
}

/**
 * Environment for the workers: VS Code's bundled ripgrep when it is where we expect it
 * (checked), else the worker falls back to `rg` on PATH or a search in Node.
 */
export function workerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const root = vscode.env.appRoot;
  for (const dir of ['node_modules', 'node_modules.asar.unpacked']) {
    const rg = path.join(root, dir, '@vscode', 'ripgrep', 'bin', process.platform === 'win32' ? 'rg.exe' : 'rg');
    if (existsSync(rg)) {
      env.KTL_RIPGREP = rg;
      return env;
    }
  }
  delete env.KTL_RIPGREP;
  return env;
}
