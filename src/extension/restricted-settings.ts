/**
 * Settings a workspace must not choose while it is untrusted (Restricted Mode): they name files
 * the extension reads or hands to a program — `vmlinux` (addr2line), `kallsyms` (read whole),
 * `sourceRoot` (walked and indexed). package.json lists them under
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`; this is the decision itself,
 * pure (no `vscode`), so a unit test can feed it what `inspect()` returns.
 */

/** The `kernelTrace.*` keys declared restricted in package.json. */
export const RESTRICTED_SETTINGS = ['vmlinux', 'kallsyms', 'sourceRoot'] as const;
export type RestrictedSetting = (typeof RESTRICTED_SETTINGS)[number];

/** The part of `WorkspaceConfiguration.inspect()` the decision reads. */
export interface InspectedSetting<T> {
  readonly defaultValue?: T;
  readonly globalValue?: T;
  readonly workspaceValue?: T;
  readonly workspaceFolderValue?: T;
}

/**
 * The value to use. Trusted: the usual precedence (folder, workspace, user, default).
 * Untrusted: the user's own value or the default only — a `.vscode/settings.json` or a
 * `.code-workspace` file cannot point the extension at a file of its choosing.
 */
export function settingValue<T>(inspected: InspectedSetting<T> | undefined, trusted: boolean): T | undefined {
  if (inspected === undefined) return undefined;
  if (trusted) return inspected.workspaceFolderValue ?? inspected.workspaceValue ?? inspected.globalValue ?? inspected.defaultValue;
  return inspected.globalValue ?? inspected.defaultValue;
}
