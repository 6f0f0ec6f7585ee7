/**
 * Ambiguous names: an event whose name matches several static definitions or tracepoint
 * call sites is annotated on every candidate (each with the whole count, labelled
 * ambiguous) until the user picks one here; never a silent guess.
 */
import * as vscode from 'vscode';
import { plural, siteKey, type EventSites } from './hits/model';
import type { HitsStore } from './hits/store';
import type { HitsNode } from './hits/tree';
import { sideGroup } from './side-group';

const ALL = '$all';

export function registerAmbiguity(store: HitsStore): vscode.Disposable[] {
  const pickSite = async (event: EventSites): Promise<void> => {
    const items: (vscode.QuickPickItem & { site: string })[] = event.sites.map((s) => ({
      label: `${s.file}:${s.line}`,
      description: `${s.function ?? ''}${event.picked === siteKey(s.file, s.line) ? ' · picked' : ''}`,
      detail: s.note ?? undefined,
      site: siteKey(s.file, s.line),
    }));
    items.push({ label: 'Every candidate', description: 'annotate each site with the whole count (labelled ambiguous)', site: ALL });
    const choice = await vscode.window.showQuickPick(items, {
      title: `${event.event}: ${plural(event.count, 'hit')}, ${event.sites.length} candidate sites`,
      placeHolder: 'Which definition or call site produced these events?',
    });
    if (choice) await store.pick(event.event, choice.site === ALL ? null : choice.site);
  };

  return [
    vscode.commands.registerCommand('kernelTrace.pickDefinition', async (node?: HitsNode) => {
      const model = store.model;
      if (!model) {
        void vscode.window.showInformationMessage('Kernel Trace: no trace with hits on source lines is loaded.');
        return;
      }
      if (node && (node.kind === 'event' || node.kind === 'site') && node.event.sites.length > 1) {
        await pickSite(node.event);
        return;
      }
      const ambiguous = model.ambiguousEvents();
      if (ambiguous.length === 0) {
        void vscode.window.showInformationMessage(`Kernel Trace: every event of ${store.traceName ?? 'the trace'} maps to one site.`);
        return;
      }
      const first = await vscode.window.showQuickPick(
        ambiguous.map((e) => ({ label: e.event, description: `${plural(e.count, 'hit')} · ${e.sites.length} sites${e.picked ? ` · picked ${e.picked}` : ''}`, event: e })),
        { title: 'Kernel Trace: events whose name matches several sites', placeHolder: 'Pick an event' },
      );
      if (first) await pickSite(first.event);
    }),
    vscode.commands.registerCommand('kernelTrace.annotateOnlyThisSite', async (node?: HitsNode) => {
      if (node?.kind !== 'site') return;
      await store.pick(node.event.event, siteKey(node.site.file, node.site.line));
    }),
    vscode.commands.registerCommand('kernelTrace.openSite', async (file?: unknown, line?: unknown) => {
      if (typeof file !== 'string' || typeof line !== 'number') return;
      const uri = store.sourceUri(file);
      if (!uri) return;
      await sideGroup.showText(uri, { line });
    }),
  ];
}
