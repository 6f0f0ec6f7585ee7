/**
 * The worker's view of the kernel source: one function index per source root (cached on disk
 * under the extension's storage), hit counts of a trace, line probe scripts, symbol lookups.
 * Runs in the worker so tree-sitter parsing never blocks the extension host.
 */
import { keepRows } from '../core/source/definition-spans';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createCParser, type CParser } from '../core/source/c-parser';
import { FunctionIndex, emptyCache } from '../core/source/function-index';
import { DiskSourceTree, findRipgrep, loadCParserWasm, readIndexCache, writeIndexCache } from '../core/io/source-files';
import { computeHits, type HitsResult } from '../core/analysis/hits';
import { hitsOptions } from '../core/io/hits-options';
import { loadKallsyms } from '../core/io/kallsyms-file';
import { parseAddress } from '../core/source/kallsyms';
import { lineVariables } from '../core/source/line-vars';
import { lineProbeScript } from '../core/probes/line-probe';
import type { Trace } from '../core/trace/trace';
import type { ProbeLineReply, SourceConfig } from '../protocol/worker-messages';

interface Opened {
  index: FunctionIndex;
  tree: DiskSourceTree;
  cachePath: string;
}

const opened = new Map<string, Opened>();
let parser: Promise<CParser> | null = null;

function cParser(): Promise<CParser> {
  parser ??= createCParser(loadCParserWasm(__dirname));
  return parser;
}

async function open(cfg: SourceConfig): Promise<Opened> {
  // Restricted Mode searches in Node (no ripgrep process): a tree opened either way is kept apart.
  const key = `${cfg.restricted === true ? 'restricted:' : ''}${cfg.sourceRoot}`;
  const known = opened.get(key);
  if (known) return known;
  const tree = new DiskSourceTree(cfg.sourceRoot, cfg.restricted === true ? null : findRipgrep(ripgrepCandidates()));
  const cachePath = join(cfg.cacheDir, `index-${createHash('sha256').update(cfg.sourceRoot).digest('hex').slice(0, 16)}.json`);
  const o = { index: new FunctionIndex(tree, await cParser(), readIndexCache(cachePath) ?? emptyCache()), tree, cachePath };
  opened.set(key, o);
  return o;
}

/**
 * Rebuild Source Index: every index this worker holds is forgotten. Without this a trace
 * worker kept answering from the names it had looked up before, and wrote that old index back
 * over the cache the rebuild had just deleted.
 */
export function forgetSourceIndexes(): void {
  opened.clear();
}

/** VS Code ships ripgrep; the host passes its location through KTL_RIPGREP when it knows it. */
function ripgrepCandidates(): string[] {
  return process.env.KTL_RIPGREP ? [process.env.KTL_RIPGREP] : [];
}

export async function traceHits(trace: Trace, cfg: SourceConfig): Promise<HitsResult> {
  const o = await open(cfg);
  const options = await hitsOptions(cfg.sourceRoot, { kallsyms: cfg.kallsyms, vmlinux: cfg.restricted === true ? null : cfg.vmlinux });
  // The pass over every event lets the timeline's and table's requests in between (one turn of the event loop per pause).
  const result = await computeHits(trace, o.index, o.tree, { ...options, pause: () => new Promise<void>((resolve) => setImmediate(resolve)) });
  writeIndexCache(o.cachePath, o.index.cache);
  return result;
}

export async function probeLine(cfg: SourceConfig, file: string, line: number, variables: readonly string[]): Promise<ProbeLineReply> {
  const o = await open(cfg);
  const fn = await o.index.functionAt(file, line);
  if (!fn) throw new Error(`${file}:${line} is not inside a function definition`);
  if (line < fn.declLine) throw new Error(`${file}:${line} is before the name of ${fn.name} (line ${fn.declLine}): probe line ${fn.declLine} for the function entry`);
  // Only the function's own lines: a whole-file parse can be thrown off by macros elsewhere.
  const tree = (await cParser()).parse(keepRows(await o.tree.read(file), fn.startLine, fn.endLine));
  try {
    const vars = lineVariables(tree, fn, line);
    const p = lineProbeScript({
      function: fn.name,
      relativeLine: line - fn.declLine,
      file,
      line,
      variables: variables.length > 0 ? variables : vars.used,
      inScope: vars.inScope,
    });
    return { ...p, file, line };
  } finally {
    tree.delete();
    writeIndexCache(o.cachePath, o.index.cache);
  }
}

export async function resolveSymbol(cfg: SourceConfig, symbol: string): Promise<{ file: string; line: number }[]> {
  const o = await open(cfg);
  const defs = (await o.index.definitions([symbol])).get(symbol) ?? [];
  writeIndexCache(o.cachePath, o.index.cache);
  return defs.map((d) => ({ file: d.file, line: d.declLine }));
}

/** A raw kernel address through the configured kallsyms file (`sym+0xoff/0xsize` links for addresses). */
export async function resolveAddress(cfg: SourceConfig, address: string): Promise<{ symbol: string; offset: string; size: string } | null> {
  if (!cfg.kallsyms) throw new Error('kernelTrace.kallsyms is not set: raw addresses need a saved /proc/kallsyms');
  const a = parseAddress(address);
  if (a === null) throw new Error(`${address} is not a hex address`);
  const r = (await loadKallsyms(cfg.kallsyms)).resolve(a);
  return r ? { symbol: r.symbol, offset: `0x${r.offset.toString(16)}`, size: `0x${r.size.toString(16)}` } : null;
}
