/**
 * Test helpers for the source index: the C parser from node_modules and the Linux 6.1 source
 * files (never committed: see third-party.ts). Tests that read LINUX pass `{ skip: LINUX_SKIP }`.
 */
import { join } from 'node:path';
import { createCParser, type CParser } from '../../src/core/source/c-parser';
import { FunctionIndex } from '../../src/core/source/function-index';
import { DiskSourceTree, findRipgrep, loadCParserWasm } from '../../src/core/io/source-files';
import { LINUX_SOURCE, linuxSkip } from './third-party';

export const LINUX_SKIP = linuxSkip();
export const LINUX = LINUX_SOURCE ?? '(Linux 6.1 source absent)';

export function cParser(): Promise<CParser> {
  // loadCParserWasm looks in DIR and in DIR/../node_modules: point it at a folder beside node_modules.
  return createCParser(loadCParserWasm(join(process.cwd(), 'dist-none')));
}

export async function linuxIndex(useRipgrep = true): Promise<{ index: FunctionIndex; tree: DiskSourceTree }> {
  const tree = new DiskSourceTree(LINUX, useRipgrep ? findRipgrep() : null);
  return { index: new FunctionIndex(tree, await cParser()), tree };
}
