/**
 * Every `sym+0xoff/0xsize` in a trace, an oops or a log opened as text is a link to the
 * function's source. Resolved on demand (resolveDocumentLink): with kernelTrace.vmlinux set,
 * addr2line gives the exact line of the offset; otherwise (or when that fails) the source
 * worker's index gives the line of the function's name, and the link's tooltip says so.
 * Several definitions (static functions of the same name) open a pick, never a guess.
 * With kernelTrace.kallsyms set, raw kernel text addresses (`ffffffff81a2b3c4`, `[<ffffffff...>]`
 * in old oopses, perf script ips) are links too: the source worker turns them into sym+off
 * first, then they follow the same path. Finding them is core/source/symbol-refs.ts (bounded, linear);
 * when a huge document is only partly scanned, the status bar says so.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { addr2line } from '../core/io/addr2line';
import { scanSymbolRefs } from '../core/source/symbol-refs';
import type { Definition, SourceWorker } from './source-worker';
import { kallsymsPath, sourceConfig, sourceRoot, vmlinuxPath } from './source-settings';
import { sideGroup } from './side-group';

export const OPEN_DEFINITIONS_COMMAND = 'kernelTrace.openSymbolDefinition';

export const LINK_SELECTOR: vscode.DocumentSelector = [
  { language: 'plaintext' },
  { language: 'log' },
  { pattern: '**/*.{trace,ftrace}' },
];

class SymbolLink extends vscode.DocumentLink {
  /**
   * @param symbol, offset  `sym+0xoff`; for a raw address, filled in by resolveDocumentLink
   * @param address  the raw address this link was made from, if it was
   */
  constructor(
    range: vscode.Range,
    public symbol: string,
    public offset: string,
    readonly address: string | null = null,
  ) {
    super(range);
  }
}

function commandUri(command: string, args: unknown[]): vscode.Uri {
  return vscode.Uri.parse(`command:${command}?${encodeURIComponent(JSON.stringify(args))}`);
}

export class SymbolLinkProvider implements vscode.DocumentLinkProvider<SymbolLink> {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly worker: SourceWorker,
  ) {}

  /** Documents whose scan stopped early and said so in the status bar (once per document). */
  private readonly told = new Set<string>();

  provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): SymbolLink[] {
    // core/source/symbol-refs.ts: linear, per-line and per-document bounds (this is the host's main thread).
    const scan = scanSymbolRefs(document.getText(), { addresses: kallsymsPath() !== undefined, cancelled: () => token.isCancellationRequested });
    const links = scan.refs.map((r) => {
      const link = new SymbolLink(new vscode.Range(r.line, r.start, r.line, r.end), r.symbol, r.offset, r.address);
      link.tooltip = r.address === null ? `Open the source of ${r.symbol}` : `Resolve ${r.address} through kernelTrace.kallsyms and open its source`;
      return link;
    });
    const key = document.uri.toString();
    if (scan.limited !== null && scan.limited !== 'cancelled' && !this.told.has(key)) {
      this.told.add(key);
      vscode.window.setStatusBarMessage(`Kernel Trace: symbol links in ${path.basename(document.uri.path)}: ${scan.limited}`, 15_000);
    }
    return links;
  }

  async resolveDocumentLink(link: SymbolLink): Promise<SymbolLink> {
    const root = sourceRoot();
    let via = '';
    if (link.address !== null) {
      const shown = link.address;
      if (!root) {
        link.target = commandUri(OPEN_DEFINITIONS_COMMAND, [shown, [], 'Set kernelTrace.sourceRoot (or open the kernel tree as the workspace) to follow these links.']);
        return link;
      }
      let resolved: { symbol: string; offset: string; size: string } | null;
      try {
        resolved = await this.worker.resolveAddress(sourceConfig(this.context, root), link.address);
      } catch (err) {
        link.target = commandUri(OPEN_DEFINITIONS_COMMAND, [shown, [], `Kernel Trace: could not resolve ${shown}: ${err instanceof Error ? err.message : String(err)}`]);
        return link;
      }
      if (!resolved) {
        link.target = commandUri(OPEN_DEFINITIONS_COMMAND, [shown, [], `Kernel Trace: ${shown} is not inside a function of ${path.basename(kallsymsPath() ?? 'kallsyms')}.`]);
        link.tooltip = `${shown} is not inside a function of the kallsyms file`;
        return link;
      }
      link.symbol = resolved.symbol;
      link.offset = resolved.offset;
      via = `${shown} is ${resolved.symbol}+${resolved.offset}/${resolved.size} per ${path.basename(kallsymsPath() ?? 'kallsyms')}; `;
    }
    // `foo.isra.0`, `foo.cold`: compiler clones of foo.
    const name = link.symbol.replace(/\..*$/, '');
    if (!root) {
      link.target = commandUri(OPEN_DEFINITIONS_COMMAND, [name, [], 'Set kernelTrace.sourceRoot (or open the kernel tree as the workspace) to follow these links.']);
      return link;
    }
    const vmlinux = vmlinuxPath();
    if (vmlinux) {
      const exact = await addr2line(vmlinux, link.symbol, link.offset, root.path);
      if (exact) {
        link.target = vscode.Uri.file(path.join(root.path, ...exact.file.split('/'))).with({ fragment: `L${exact.line}` });
        link.tooltip = `${via}${link.symbol}+${link.offset} is ${exact.file}:${exact.line} (${exact.function}), per addr2line on ${path.basename(vmlinux)}`;
        return link;
      }
    }
    let defs: readonly Definition[];
    try {
      defs = await this.worker.resolveSymbol(sourceConfig(this.context, root), name);
    } catch (err) {
      link.target = commandUri(OPEN_DEFINITIONS_COMMAND, [name, [], `Kernel Trace: could not look up ${name}: ${err instanceof Error ? err.message : String(err)}`]);
      return link;
    }
    const why = vmlinux
      ? `addr2line on ${path.basename(vmlinux)} did not resolve ${link.symbol}+${link.offset}`
      : vscode.workspace.isTrusted
        ? 'kernelTrace.vmlinux is not set, so the offset is not resolved'
        : 'addr2line is not run in Restricted Mode, so the offset is not resolved';
    const only = defs.length === 1 ? defs[0] : undefined;
    if (only) {
      link.target = vscode.Uri.file(path.join(root.path, ...only.file.split('/'))).with({ fragment: `L${only.line}` });
      link.tooltip = `${via}${name} is defined at ${only.file}:${only.line}; ${why}: this opens the function's line`;
    } else {
      link.target = commandUri(OPEN_DEFINITIONS_COMMAND, [name, defs.map((d) => ({ file: d.file, line: d.line })), null]);
      const what = defs.length === 0 ? `no definition of ${name} under ${root.path}` : `${name} has ${defs.length} definitions: pick one (${why})`;
      link.tooltip = via === '' ? what.charAt(0).toUpperCase() + what.slice(1) : `${via}${what}`;
    }
    return link;
  }
}

/** The target of ambiguous or unresolved links: a pick among definitions, or the reason there is none. */
export function registerOpenDefinitions(): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_DEFINITIONS_COMMAND, async (symbol?: unknown, defs?: unknown, message?: unknown) => {
    if (typeof symbol !== 'string') return;
    if (typeof message === 'string') {
      void vscode.window.showInformationMessage(message);
      return;
    }
    const root = sourceRoot();
    const list = Array.isArray(defs)
      ? defs.filter((d): d is Definition => typeof d === 'object' && d !== null && typeof (d as Definition).file === 'string' && typeof (d as Definition).line === 'number')
      : [];
    if (!root || list.length === 0) {
      void vscode.window.showInformationMessage(`Kernel Trace: no definition of ${symbol} under ${root?.path ?? 'the source root'}.`);
      return;
    }
    const choice = await vscode.window.showQuickPick(
      list.map((d) => ({ label: `${d.file}:${d.line}`, d })),
      { title: `${symbol} is defined ${list.length} times (static functions)`, placeHolder: 'Which definition?' },
    );
    if (!choice) return;
    const uri = vscode.Uri.file(path.join(root.path, ...choice.d.file.split('/')));
    if (path.relative(root.path, uri.fsPath).startsWith('..')) return;
    await sideGroup.showText(uri, { line: choice.d.line });
  });
}
