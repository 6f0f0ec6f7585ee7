/**
 * Where tests find third-party input that is never committed (test/fixtures/README.md):
 * - the shared corpus (other people's traces and captures), read in place from
 *   `../shared/corpus` beside the repository (CI clones the repo beside shared/);
 *   KTL_SHARED_CORPUS overrides it (a git worktree elsewhere);
 * - Linux 6.1 source files, unpacked from Debian's linux-source-6.1 package into
 *   sample/linux-6.1 by `node scripts/linux-source.mjs` (scripts/test-all.sh runs it),
 *   or else the same excerpts in the shared corpus's linux-6.1/.
 * A test that needs one passes `skip: corpusSkip(path)` (or linuxSkip) so that, where the
 * input is absent, it is skipped with the reason instead of failing.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const SHARED_CORPUS = process.env.KTL_SHARED_CORPUS ? resolve(process.env.KTL_SHARED_CORPUS) : resolve(REPO, '../shared/corpus');

/** The shared corpus file at `rel` (e.g. `pcap/pcpp-microsecs.pcap`). */
export function corpusPath(rel: string): string {
  return join(SHARED_CORPUS, rel);
}

/** false when the corpus file is there, else why the test is skipped. */
export function corpusSkip(...rels: string[]): false | string {
  for (const r of rels) {
    const why = absentCorpusFile(corpusPath(r));
    if (why) return why;
  }
  return false;
}

/** For a path that may be in the shared corpus: why the test is skipped when it is absent there, else false. */
export function absentCorpusFile(path: string): false | string {
  const abs = resolve(path);
  if (!abs.startsWith(`${SHARED_CORPUS}/`) || existsSync(abs)) return false;
  return `shared corpus absent (${abs}): third-party files are read in place, never committed`;
}

/** The Debian-unpacked files (scripts/linux-source.mjs). */
export const KERNEL_SOURCE = join(REPO, 'sample', 'linux-6.1');

/**
 * false when the Debian-unpacked files are there, else why the test is skipped. For the e2e
 * tests of the sample workspace, whose settings point at that folder.
 */
export function kernelSourceSkip(): false | string {
  return existsSync(join(KERNEL_SOURCE, 'net/xdp/xsk.c')) ? false : `Linux 6.1 source absent (${KERNEL_SOURCE}): run \`node scripts/linux-source.mjs\` (Debian's linux-source-6.1, never committed)`;
}

/** The Linux 6.1 source root to read: the Debian-unpacked files, else the corpus's excerpts, else null. */
export const LINUX_SOURCE: string | null = [KERNEL_SOURCE, corpusPath('linux-6.1')].find((d) => existsSync(join(d, 'net/xdp/xsk.c'))) ?? null;

/** false when `rel` (default: the excerpts) can be read under LINUX_SOURCE, else why the test is skipped. */
export function linuxSkip(rel = 'net/xdp/xsk.c'): false | string {
  if (LINUX_SOURCE !== null && existsSync(join(LINUX_SOURCE, rel))) return false;
  return `Linux 6.1 source absent (${rel}): run \`node scripts/linux-source.mjs\` (Debian's linux-source-6.1, never committed) or provide ../shared/corpus/linux-6.1`;
}

/** LINUX_SOURCE where the test is not skipped (linuxSkip() said false). */
export function linuxSource(): string {
  if (LINUX_SOURCE === null) throw new Error(String(linuxSkip()));
  return LINUX_SOURCE;
}
