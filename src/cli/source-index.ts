/** Opens the function index of a kernel source tree for `ktl`, with its cache under ~/.cache/ktl. */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCParser } from '../core/source/c-parser';
import { FunctionIndex, emptyCache } from '../core/source/function-index';
import { DiskSourceTree, findRipgrep, loadCParserWasm, readIndexCache, writeIndexCache } from '../core/io/source-files';

export interface OpenIndex {
  readonly index: FunctionIndex;
  readonly tree: DiskSourceTree;
  save(): void;
}

export async function openSourceIndex(sourceDir: string, opts: { cache?: boolean } = {}): Promise<OpenIndex> {
  const root = resolve(sourceDir);
  const tree = new DiskSourceTree(root, process.env.KTL_NO_RG === '1' ? null : findRipgrep());
  const parser = await createCParser(loadCParserWasm(__dirname));
  const cacheDir = process.env.KTL_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ktl');
  const cachePath = join(cacheDir, `index-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.json`);
  const useCache = opts.cache !== false;
  const index = new FunctionIndex(tree, parser, (useCache && readIndexCache(cachePath)) || emptyCache());
  return {
    index,
    tree,
    save: () => {
      if (useCache) writeIndexCache(cachePath, index.cache);
    },
  };
}
