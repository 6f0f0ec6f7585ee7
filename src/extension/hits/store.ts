/**
 * The hits of every loaded trace, and which trace the editor annotates.
 *
 * When a trace finishes loading and a source root exists, its own worker maps the events to
 * source lines (never this thread). The annotated trace is the one whose editor was active
 * last (or the last one loaded). Picks for ambiguous names are kept per source root in the
 * workspace state, so they survive a reload.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HitsResult } from '../../core/analysis/hits';
import { HitModel, siteKey } from './model';
import { relativeToRoot, sourceConfig, sourceRoot, sourceRootSetting, type SourceRoot } from '../source-settings';
import type { TraceDocument } from '../trace-document';

export type HitsState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'noSource'; readonly message: string }
  | { readonly kind: 'computing' }
  | { readonly kind: 'ready'; readonly root: SourceRoot; readonly result: HitsResult }
  | { readonly kind: 'failed'; readonly message: string };

interface Tracked {
  readonly doc: TraceDocument;
  state: HitsState;
  /** Bumped on each request: a late reply for an older one is dropped. */
  generation: number;
  model: HitModel | undefined;
  loadedAt: number;
}

const PICKS_KEY = 'kernelTrace.ambiguousPicks';

export class HitsStore implements vscode.Disposable {
  private readonly tracked = new Map<TraceDocument, Tracked>();
  private active: TraceDocument | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** The annotated trace, its hits, or the picks changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {}

  /** Follows a new trace document: hits are asked for once it has loaded. */
  track(doc: TraceDocument): void {
    const t: Tracked = { doc, state: { kind: 'loading' }, generation: 0, model: undefined, loadedAt: 0 };
    this.tracked.set(doc, t);
    const onState = (): void => {
      const s = doc.loadState;
      if (s.kind === 'loaded' && t.state.kind === 'loading') {
        t.loadedAt = Date.now();
        this.active = doc;
        void this.compute(t);
      } else if (s.kind === 'failed') {
        t.state = { kind: 'failed', message: s.message };
        this.fire();
      }
    };
    const sub = doc.onDidChangeState(onState);
    doc.onDidDispose(() => {
      sub.dispose();
      this.tracked.delete(doc);
      if (this.active === doc) this.active = [...this.tracked.values()].sort((a, b) => b.loadedAt - a.loadedAt)[0]?.doc;
      this.fire();
    });
    onState();
  }

  /** The trace editor `doc` became active: annotate with its hits. */
  activate(doc: TraceDocument): void {
    if (!this.tracked.has(doc) || this.active === doc) return;
    this.active = doc;
    this.fire();
  }

  /** Rebuild Source Index: every trace worker drops its in-memory index, then hits are asked for again. */
  rebuildAll(): void {
    for (const t of this.tracked.values()) t.doc.dropSourceIndex();
    this.refreshAll();
  }

  /** Asks again for every loaded trace (source root changed, index rebuilt). */
  refreshAll(): void {
    for (const t of this.tracked.values()) if (t.doc.loadState.kind === 'loaded') void this.compute(t);
  }

  get activeDocument(): TraceDocument | undefined {
    return this.active;
  }

  get activeState(): HitsState | undefined {
    return this.active ? this.tracked.get(this.active)?.state : undefined;
  }

  /** The annotated trace's hits, with the picks applied. */
  get model(): HitModel | undefined {
    return this.active ? this.tracked.get(this.active)?.model : undefined;
  }

  get root(): SourceRoot | undefined {
    const s = this.activeState;
    return s?.kind === 'ready' ? s.root : undefined;
  }

  /** `uri` relative to the annotated trace's source root (`/` separators), or undefined. */
  relativePath(uri: vscode.Uri): string | undefined {
    const root = this.root;
    if (!root || uri.scheme !== 'file') return undefined;
    return relativeToRoot(root.path, uri.fsPath);
  }

  /** An absolute file URI for a path relative to the source root. */
  sourceUri(file: string): vscode.Uri | undefined {
    const root = this.root;
    return root ? vscode.Uri.file(path.join(root.path, ...file.split('/'))) : undefined;
  }

  /**
   * The source line event `event` of `doc` maps to: its one site, or the site the user picked
   * among several; undefined when the mapping does not know it or it is ambiguous (never a guess).
   */
  siteOf(doc: TraceDocument, event: string): { uri: vscode.Uri; line: number } | undefined {
    const t = this.tracked.get(doc);
    if (!t || t.state.kind !== 'ready' || !t.model) return undefined;
    const sites = t.model.byEvent.find((e) => e.event === event);
    if (!sites) return undefined;
    const site = sites.picked !== null ? sites.sites.find((x) => siteKey(x.file, x.line) === sites.picked) : sites.sites.length === 1 ? sites.sites[0] : undefined;
    if (!site) return undefined;
    return { uri: vscode.Uri.file(path.join(t.state.root.path, ...site.file.split('/'))), line: site.line };
  }

  get traceName(): string | undefined {
    return this.active ? path.basename(this.active.uri.fsPath) : undefined;
  }

  /** Annotate only `site` (`file:line`) for `event`; null goes back to every candidate. */
  async pick(event: string, site: string | null): Promise<void> {
    const root = this.root;
    if (!root) return;
    const all = this.context.workspaceState.get<Record<string, Record<string, string>>>(PICKS_KEY, {});
    const mine = { ...(all[root.path] ?? {}) };
    if (site === null) delete mine[event];
    else mine[event] = site;
    await this.context.workspaceState.update(PICKS_KEY, { ...all, [root.path]: mine });
    for (const t of this.tracked.values()) if (t.state.kind === 'ready') t.model = new HitModel(t.state.result, this.picks(t.state.root));
    this.fire();
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
    this.changeEmitter.dispose();
  }

  private picks(root: SourceRoot): Map<string, string> {
    const all = this.context.workspaceState.get<Record<string, Record<string, string>>>(PICKS_KEY, {});
    return new Map(Object.entries(all[root.path] ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  private async compute(t: Tracked): Promise<void> {
    const generation = ++t.generation;
    const root = sourceRoot();
    if (!root) {
      const raw = sourceRootSetting();
      t.state = {
        kind: 'noSource',
        message: raw
          ? `kernelTrace.sourceRoot (${raw}) is not a folder: no hit counts on source lines.`
          : 'Open your kernel tree as the workspace, or set kernelTrace.sourceRoot, to see hit counts on source lines.',
      };
      t.model = undefined;
      this.fire();
      return;
    }
    t.state = { kind: 'computing' };
    this.fire();
    const name = path.basename(t.doc.uri.fsPath);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Kernel Trace: mapping ${name} to ${path.basename(root.path)} sources` },
        () => t.doc.hits(sourceConfig(this.context, root)),
      );
      if (generation !== t.generation || !this.tracked.has(t.doc)) return;
      t.state = { kind: 'ready', root, result };
      t.model = new HitModel(result, this.picks(root));
    } catch (err) {
      if (generation !== t.generation || !this.tracked.has(t.doc)) return;
      const message = err instanceof Error ? err.message : String(err);
      t.state = { kind: 'failed', message };
      t.model = undefined;
      void vscode.window.showWarningMessage(`Kernel Trace: could not map ${name} to the source in ${root.path}: ${message}`);
    }
    this.fire();
  }

  private fire(): void {
    this.changeEmitter.fire();
  }
}

