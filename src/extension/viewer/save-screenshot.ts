/** The viewer's screenshot button, for every panel that shows a viewer: asks where, writes the PNG, says if it could not. */
import { writeFile } from "node:fs/promises";
import * as vscode from "vscode";
import { errorText, log } from "../output/extension-log.js";

export async function saveScreenshot(png: Uint8Array, defaultPath: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(defaultPath), filters: { "PNG image": ["png"] } });
  if (!target) return;
  try {
    await writeFile(target.fsPath, png);
    log.info(`screenshot saved to ${target.fsPath}`);
  } catch (e) {
    void vscode.window.showErrorMessage(`Scene: could not save the screenshot: ${errorText(e)}`);
  }
}
