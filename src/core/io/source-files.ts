/**
 * The kernel source tree on disk, for the function index: candidate search with ripgrep when
 * one is available (VS Code ships one; Debian has `rg`), otherwise a walk in Node that applies
 * the same line patterns; file reads and change stamps; the tree-sitter wasm files; the index
 * cache on disk.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { CParserWasm } from '../source/c-parser';
import type { IndexCache, SourceSite, SourceTree } from '../source/function-index';

/**
 * Definitions start at column 0 in kernel style: `static int foo(`, `foo(` on its own line
 * (the return type on the line above), `SYSCALL_DEFINE3(bpf,`. One search for all shapes:
 * ripgrep ran `^[A-Za-z_].*\b(?:names)\s*\(|^SYSCALL_DEFINE\d\(\s*(?:sys)\b` 9x slower than
 * the first half alone (1,000 names over Linux 6.1: 9 s against 1 s), but takes every
 * `SYSCALL_DEFINEn(` line in the same alternation at no cost; the wanted syscalls are picked
 * from those lines here.
 */
function definitionSearch(names: readonly string[]): { pattern: string; keep: ((text: string) => boolean) | null } {
  const plain = names.filter((n) => !/^(?:compat_)?sys_/.test(n));
  const sys = names.map((n) => /^(?:compat_)?sys_(\w+)$/.exec(n)?.[1]).filter((n): n is string => n !== undefined);
  // The name may open the line itself (`static int\nfoo(`): `^[A-Za-z_].*\bfoo` missed those
  // unless another candidate in the same file had the whole file parsed.
  const lineStart = (alts: readonly string[]): string => `^(?:[A-Za-z_].*\\b)?(?:${alts.join('|')})\\s*\\(`;
  if (sys.length === 0) return { pattern: lineStart(plain), keep: null };
  const plainRe = plain.length > 0 ? new RegExp(lineStart(plain)) : null;
  const sysRe = new RegExp(`^(?:COMPAT_)?SYSCALL_DEFINE\\d\\(\\s*(?:${sys.join('|')})\\b`);
  return {
    pattern: lineStart([...plain, '(?:COMPAT_)?SYSCALL_DEFINE\\d']),
    keep: (text) => sysRe.test(text) || (plainRe?.test(text) ?? false),
  };
}

function tracepointPattern(names: readonly string[]): string {
  return `\\btrace_(?:${names.join('|')})\\s*\\(`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SOURCE_GLOBS = ['*.c', '*.h'];
const SKIP_DIRS = new Set(['.git', 'node_modules', '.vscode-test', 'Documentation']);

export class DiskSourceTree implements SourceTree {
  /**
   * @param root the kernel source tree
   * @param rgPath ripgrep to use, or null to search in Node
   */
  constructor(
    readonly root: string,
    private rgPath: string | null,
  ) {}

  async findDefinitionCandidates(names: readonly string[]): Promise<SourceSite[]> {
    const safe = names.filter((n) => IDENT.test(n));
    if (safe.length === 0) return [];
    const { pattern, keep } = definitionSearch(safe);
    const sites = await this.search(pattern);
    return keep ? sites.filter((l) => keep(l.text)) : sites;
  }

  async findTracepointCalls(names: readonly string[]): Promise<(SourceSite & { tracepoint: string })[]> {
    const safe = names.filter((n) => IDENT.test(n));
    if (safe.length === 0) return [];
    const sites = await this.search(tracepointPattern(safe), true);
    const out: (SourceSite & { tracepoint: string })[] = [];
    for (const s of sites) {
      const m = /\btrace_([A-Za-z0-9_]+)\s*\(/.exec(s.text);
      if (m && safe.includes(m[1] as string)) out.push({ file: s.file, line: s.line, tracepoint: m[1] as string });
    }
    return out;
  }

  async read(file: string): Promise<string> {
    return readFile(join(this.root, file), 'utf8');
  }

  async stamp(file: string): Promise<string | null> {
    try {
      const s = await stat(join(this.root, file));
      return `${s.mtimeMs}:${s.size}`;
    } catch {
      return null;
    }
  }

  private async search(pattern: string, onlyC = false): Promise<(SourceSite & { text: string })[]> {
    if (this.rgPath) return this.searchRg(pattern, onlyC);
    return this.searchNode(new RegExp(pattern, 'm'), onlyC);
  }

  private searchRg(pattern: string, onlyC: boolean): Promise<(SourceSite & { text: string })[]> {
    const globs = (onlyC ? ['*.c'] : SOURCE_GLOBS).flatMap((g) => ['-g', g]);
    // --no-ignore: every C file of the tree is source, as in the Node walk. Debian's
    // linux-source tree ships a .gitignore of `/*` (all but debian/) that ripgrep applies as
    // soon as the tree sits inside any git repository: it was searched as empty.
    const args = ['--no-heading', '--line-number', '--with-filename', '--no-messages', '--no-ignore', '--color', 'never', ...globs, '-e', pattern, '.'];
    return new Promise((resolve, reject) => {
      execFile(this.rgPath as string, args, { cwd: this.root, maxBuffer: 1 << 28 }, (err, stdout) => {
        // A ripgrep that was found once and is gone now (uninstalled, another PATH): search in Node.
        if (err && (err as { code?: unknown }).code === 'ENOENT') {
          this.rgPath = null;
          resolve(this.searchNode(new RegExp(pattern, 'm'), onlyC));
          return;
        }
        // rg exits 1 when nothing matched: not an error here.
        if (err && (err as { code?: unknown }).code !== 1) {
          reject(new Error(`ripgrep failed in ${this.root}: ${err.message}`));
          return;
        }
        const out: (SourceSite & { text: string })[] = [];
        for (const line of stdout.split('\n')) {
          const m = /^(.*?):(\d+):(.*)$/.exec(line);
          if (m) out.push({ file: (m[1] as string).replace(/^\.\//, ''), line: Number(m[2]), text: m[3] as string });
        }
        resolve(out);
      });
    });
  }

  private async searchNode(re: RegExp, onlyC: boolean): Promise<(SourceSite & { text: string })[]> {
    const out: (SourceSite & { text: string })[] = [];
    const lineRe = new RegExp(re.source, '');
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name)) await walk(p);
        } else if (e.name.endsWith('.c') || (!onlyC && e.name.endsWith('.h'))) {
          const text = await readFile(p, 'utf8');
          if (!re.test(text)) continue;
          const lines = text.split('\n');
          const rel = relative(this.root, p).split(sep).join('/');
          lines.forEach((l, k) => {
            if (lineRe.test(l)) out.push({ file: rel, line: k + 1, text: l });
          });
        }
      }
    };
    await walk(this.root);
    return out;
  }
}

/** ripgrep on PATH (`rg`), or null. */
export function findRipgrep(candidates: readonly string[] = []): string | null {
  for (const c of candidates) if (existsSync(c)) return c;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = join(dir, 'rg');
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** The tree-sitter wasm files shipped next to the bundle (dist/) or in node_modules (tests). */
export function loadCParserWasm(distDir: string): CParserWasm {
  const pick = (...paths: string[]): Uint8Array => {
    for (const p of paths) if (existsSync(p)) return new Uint8Array(readFileSync(p));
    throw new Error(`tree-sitter wasm not found (looked in ${paths.join(', ')})`);
  };
  return {
    runtime: pick(join(distDir, 'web-tree-sitter.wasm'), join(distDir, '..', 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm')),
    grammar: pick(join(distDir, 'tree-sitter-c.wasm'), join(distDir, '..', 'node_modules', 'tree-sitter-c', 'tree-sitter-c.wasm')),
  };
}

/** Index cache on disk, one JSON file per source root. A damaged cache is ignored. */
export function readIndexCache(path: string): IndexCache | null {
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as IndexCache;
    return c && typeof c.files === 'object' && typeof c.names === 'object' ? c : null;
  } catch {
    return null;
  }
}

export function writeIndexCache(path: string, cache: IndexCache): void {
  mkdirSync(dirname(path), { recursive: true });
  // Worker threads of one process (a trace worker and the source worker) share the pid: the
  // thread id keeps their temp files apart, else one rename fails with ENOENT.
  const tmp = `${path}.${process.pid}.${threadId}.tmp`;
  writeFileSync(tmp, JSON.stringify(cache));
  renameSync(tmp, path);
}
