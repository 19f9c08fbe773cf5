/** The viewer page's CSS (inlined with the page's nonce). Colors come from VS Code's theme variables, with dark defaults. */
export const VIEWER_CSS = `
html, body { margin: 0; padding: 0; width: 100%; height: 100%; overflow: hidden;
  background: var(--vscode-editor-background, #1e1e1e); color: var(--vscode-editor-foreground, #cccccc);
  font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); }
#scene-viewer { position: fixed; inset: 0; }
.sr-canvas { display: block; width: 100%; height: 100%; outline: none; touch-action: none; }
.sr-hud { position: absolute; left: 8px; bottom: 6px; padding: 2px 6px; border-radius: 3px; pointer-events: none;
  font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-size: 11px; opacity: 0.85;
  background: color-mix(in srgb, var(--vscode-editor-background, #1e1e1e) 75%, transparent); }
.sr-hud[data-state="failed"] { color: var(--vscode-errorForeground, #f48771); }
.sr-toolbar { position: absolute; left: 8px; top: 8px; display: flex; gap: 4px; }
.sr-tool, .sr-button { font: inherit; cursor: pointer; border-radius: 3px; padding: 2px 8px; min-width: 26px;
  color: var(--vscode-button-secondaryForeground, #cccccc); background: var(--vscode-button-secondaryBackground, #3a3d41);
  border: 1px solid var(--vscode-button-border, transparent); }
.sr-tool { display: inline-flex; align-items: center; justify-content: center; gap: 4px; padding: 3px 5px; min-height: 24px; }
.sr-tool .codicon { font-size: 16px; }
.sr-tool:hover, .sr-button:hover { background: var(--vscode-button-secondaryHoverBackground, #45494e); }
.sr-tool:focus-visible, .sr-button:focus-visible, .sr-input:focus-visible { outline: 1px solid var(--vscode-focusBorder, #007fd4); }
.sr-button { color: var(--vscode-button-foreground, #ffffff); background: var(--vscode-button-background, #0e639c); }
.sr-button:hover { background: var(--vscode-button-hoverBackground, #1177bb); }
.sr-panel { position: absolute; right: 8px; top: 8px; display: flex; flex-direction: column; gap: 6px; padding: 8px;
  min-width: 180px; max-width: 40%; max-height: calc(100% - 48px); overflow: auto; border-radius: 4px;
  background: var(--vscode-editorWidget-background, #252526); border: 1px solid var(--vscode-editorWidget-border, #454545); }
.sr-panel[hidden] { display: none; }
.sr-row { display: flex; align-items: center; gap: 6px; }
.sr-label { flex: 0 0 auto; opacity: 0.9; }
.sr-row input[type=range] { flex: 1 1 auto; accent-color: var(--vscode-button-background, #0e639c); }
.sr-row output { min-width: 3ch; text-align: right; font-variant-numeric: tabular-nums; }
.sr-input { flex: 1 1 auto; font: inherit; padding: 2px 4px; color: var(--vscode-input-foreground, #cccccc);
  background: var(--vscode-input-background, #3c3c3c); border: 1px solid var(--vscode-input-border, transparent); }
.sr-warn-badge { color: var(--vscode-editorWarning-foreground, #cca700); }
.sr-warn-badge[hidden], .sr-warnings[hidden], .sr-rerun[hidden] { display: none; }
.sr-warnings { position: absolute; left: 8px; top: 40px; margin: 0; padding: 6px 8px 6px 28px; max-width: 60%;
  max-height: calc(100% - 80px); overflow: auto; border-radius: 4px; font-size: 12px;
  background: var(--vscode-editorWidget-background, #252526); border: 1px solid var(--vscode-editorWidget-border, #454545); }
.sr-warnings li { margin: 2px 0; overflow-wrap: anywhere; }
.sr-error { padding: 1em; color: var(--vscode-errorForeground, #f48771); }
`;
