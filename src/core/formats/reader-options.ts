/**
 * Options a user gives the readers (from the workspace's `.vscode/kernel-trace.json`, or
 * `ktl --config`), one entry per format that takes any. Detection gets them too: a user's
 * printf pattern is what makes their column output recognisable at all.
 */
import type { PrintfOptions } from './printf/options';

export interface ReaderOptions {
  readonly printf?: PrintfOptions;
}
