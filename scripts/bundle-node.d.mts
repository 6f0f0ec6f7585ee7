/** See bundle-node.mjs. */
export function bundleNode(entry: string, outfile: string): Promise<string>;
