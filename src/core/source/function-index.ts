/**
 * The kernel source index: where functions are defined and where tracepoints are called.
 *
 * Lazy: nothing is indexed up front. Asked for a set of names, it lets a fast text search
 * (ripgrep where there is one, see io/source-files.ts) propose candidate lines — definitions
 * start at column 0 in kernel style — then parses only the candidate definitions of those
 * files with tree-sitter (definition-spans.ts) to keep the real definitions (not prototypes,
 * not calls). Results per file are cached by mtime and size, and per name, so the next trace
 * over the same tree costs a few stats. A file is parsed whole only when a question needs
 * every function in it (functionAt: the function around a line).
 */
import type { CParser } from './c-parser';
import { functionDefinitions, type FunctionDef } from './c-functions';
import { definitionSpansText, keepRows, layoutBlockAround } from './definition-spans';

export interface SourceSite {
  /** Path relative to the source root, with `/` separators. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
}

export interface IndexedFunction extends FunctionDef {
  readonly file: string;
}

/** File access and search for the index; implemented in io (node) and by tests. */
export interface SourceTree {
  /** Candidate lines where any of `names` might be defined (a superset is fine). */
  findDefinitionCandidates(names: readonly string[]): Promise<SourceSite[]>;
  /** Lines calling `trace_<name>(` for any of `names`. */
  findTracepointCalls(names: readonly string[]): Promise<(SourceSite & { readonly tracepoint: string })[]>;
  read(file: string): Promise<string>;
  /** A change stamp (e.g. mtime + size) or null when the file is gone. */
  stamp(file: string): Promise<string | null>;
}

export interface IndexCache {
  /** `partial`: only the spans of looked-up names were parsed, so `defs` is not every function of the file. */
  files: Record<string, { stamp: string; defs: FunctionDef[]; partial?: boolean }>;
  /** name -> files that define it (empty: looked for, not found). */
  names: Record<string, string[]>;
}

export function emptyCache(): IndexCache {
  return { files: {}, names: {} };
}

/** Syscall entry points as the function tracer and kprobes name them. */
const SYSCALL_ALIAS = /^(?:__(?:do|se|x64|ia32|arm64)_)?((?:compat_)?sys_\w+)$/;

export class FunctionIndex {
  constructor(
    private readonly tree: SourceTree,
    private readonly parser: CParser,
    readonly cache: IndexCache = emptyCache(),
  ) {}

  /** Definitions of each name (several when static functions share a name: never guess). */
  async definitions(names: readonly string[]): Promise<Map<string, IndexedFunction[]>> {
    const wanted = [...new Set(names)];
    const result = new Map<string, IndexedFunction[]>();
    const missing: string[] = [];
    for (const name of wanted) {
      const files = this.cache.names[name];
      if (files === undefined) {
        missing.push(name);
        continue;
      }
      const defs = await this.definitionsIn(name, files);
      if (defs === null) missing.push(name);
      else result.set(name, defs);
    }
    if (missing.length > 0) {
      const searchNames = new Set<string>();
      for (const n of missing) searchNames.add(SYSCALL_ALIAS.exec(n)?.[1] ?? n);
      const candidates = await this.tree.findDefinitionCandidates([...searchNames]);
      const lines = new Map<string, number[]>();
      for (const c of candidates) {
        const l = lines.get(c.file);
        if (l) l.push(c.line);
        else lines.set(c.file, [c.line]);
      }
      const found = new Map<string, Set<string>>();
      for (const file of [...lines.keys()].sort()) {
        for (const def of (await this.spanDefs(file, lines.get(file) ?? [])) ?? []) {
          for (const n of [def.name, ...def.aliases]) {
            if (!found.has(n)) found.set(n, new Set());
            found.get(n)?.add(file);
          }
        }
      }
      for (const name of missing) {
        const defFiles = [...(found.get(name) ?? [])];
        this.cache.names[name] = defFiles;
        result.set(name, (await this.definitionsIn(name, defFiles)) ?? []);
      }
    }
    return result;
  }

  /** The function whose body contains `line` of `file`. */
  async functionAt(file: string, line: number): Promise<IndexedFunction | null> {
    const defs = (await this.fileDefs(file)) ?? [];
    const best = innermost(defs, line);
    // Tree-sitter's error recovery around kernel macros can stretch one definition over the
    // next ones (Linux 6.1 kernel/sched/fair.c: set_skip_buddy "contains" pick_next_task_fair),
    // and a probe named after the wrong function maps nowhere. Kernel layout says where the body
    // around the line is (`{` and `}` in column 0): when the whole-file parse disagrees, parse
    // that block alone.
    const text = await this.tree.read(file);
    const block = layoutBlockAround(text, line);
    if (block && (!best || best.endLine !== block[1] || best.startLine < block[0])) {
      const local = innermost(this.parseDefs(keepRows(text, block[0], block[1])), line);
      if (local && local.endLine === block[1]) return { ...local, file };
    }
    return best ? { ...best, file } : null;
  }

  /** Definitions of `name` in `files`; null when a cached file changed (search again). */
  private async definitionsIn(name: string, files: readonly string[]): Promise<IndexedFunction[] | null> {
    const out: IndexedFunction[] = [];
    for (const file of files) {
      const cached = this.cache.files[file];
      if (!cached || cached.stamp !== (await this.tree.stamp(file))) return null;
      const defs = cached.defs;
      const matching = defs.filter((d) => d.name === name || d.aliases.includes(name));
      if (matching.length === 0) return null;
      for (const d of matching) out.push({ ...d, file });
    }
    return out;
  }

  /** Every function of `file` (parsed whole). */
  private async fileDefs(file: string): Promise<FunctionDef[] | null> {
    const stamp = await this.tree.stamp(file);
    if (stamp === null) return null;
    const cached = this.cache.files[file];
    if (cached && cached.stamp === stamp && !cached.partial) return cached.defs;
    const defs = this.parseDefs(await this.tree.read(file));
    this.cache.files[file] = { stamp, defs };
    return defs;
  }

  /** The definitions at candidate `lines` of `file` (and any the file's cache entry already has). */
  private async spanDefs(file: string, lines: readonly number[]): Promise<FunctionDef[] | null> {
    const stamp = await this.tree.stamp(file);
    if (stamp === null) return null;
    const cached = this.cache.files[file];
    const current = cached && cached.stamp === stamp ? cached : null;
    if (current && !current.partial) return current.defs;
    const text = await this.tree.read(file);
    const spans = definitionSpansText(text, lines);
    if (spans === null) return this.fileDefs(file);
    const defs = [...(current?.defs ?? [])];
    const seen = new Set(defs.map((d) => `${d.name}:${d.declLine}`));
    for (const d of this.parseDefs(spans)) {
      const key = `${d.name}:${d.declLine}`;
      if (!seen.has(key)) {
        seen.add(key);
        defs.push(d);
      }
    }
    defs.sort((a, b) => a.startLine - b.startLine);
    this.cache.files[file] = { stamp, defs, partial: true };
    return defs;
  }

  private parseDefs(text: string): FunctionDef[] {
    const tree = this.parser.parse(text);
    try {
      return functionDefinitions(tree.rootNode);
    } finally {
      tree.delete();
    }
  }
}

/** The definition that starts last among those whose lines hold `line`. */
function innermost(defs: readonly FunctionDef[], line: number): FunctionDef | null {
  let best: FunctionDef | null = null;
  for (const d of defs) if (line >= d.startLine && line <= d.endLine && (!best || d.startLine > best.startLine)) best = d;
  return best;
}
