/**
 * Running a scene runs the workspace's code with the user's permissions, so it
 * is refused in an untrusted workspace. The manifest already keeps the
 * extension off there (untrustedWorkspaces: false); this is the runtime check
 * for every path that starts a program, with a message that says why.
 */
import * as vscode from "vscode";

export function mayRunCode(): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = "Manage Workspace Trust";
  void vscode.window
    .showErrorMessage(
      "Scene Runner does not run scenes in an untrusted workspace: a scene program is code from this folder and would run with your permissions. Trust the workspace to run it.",
      manage,
    )
    .then((choice) => choice === manage && vscode.commands.executeCommand("workbench.trust.manage"));
  return false;
}
