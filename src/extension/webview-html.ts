/**
 * The webview's HTML shell: strict CSP with a per-load nonce, scripts and styles only from
 * dist/. Nothing from the trace is ever placed in this HTML.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** `entry`: the bundle under dist/ (`webview` for the trace editor, `compare` for Compare with…). */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: 'webview' | 'compare' = 'webview'): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', `${entry}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', `${entry}.css`));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}" nonce="${nonce}">
<title>Kernel Trace Lens</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
