/**
 * Every command the extension contributes, with the arguments it takes, in one
 * map: package.json ids and the code that registers them cannot drift apart
 * silently (a missing handler is a type error in `registerCommands`).
 */
import * as vscode from "vscode";
import type { SessionItem, TaskItem } from "./tasks/task-tree.js";

/** Arguments by command id. Menus pass a tree item; the palette and lenses pass a Uri or nothing. */
export interface SceneCommands {
  "sceneRunner.run": [uri?: vscode.Uri];
  "sceneRunner.stop": [target?: vscode.Uri | SessionItem];
  "sceneRunner.stopAll": [];
  "sceneRunner.showViewer": [target?: vscode.Uri | SessionItem];
  "sceneRunner.cancelTask": [item: TaskItem];
  "sceneRunner.stopSession": [item: SessionItem];
  /** A run whose viewer shows a past moment: the viewer and the Tasks view show the present again. */
  "sceneRunner.backToLive": [item: SessionItem];
  "sceneRunner.clearFinished": [];
  /** Internal (tree clicks): opens a file at a 1-based line and column. */
  "sceneRunner.openLocation": [file: string, line?: number, column?: number];
}

export type CommandId = keyof SceneCommands;
export type CommandHandlers = { [K in CommandId]: (...args: SceneCommands[K]) => unknown };

export function registerCommands(handlers: CommandHandlers, onError: (id: CommandId, e: unknown) => void): vscode.Disposable[] {
  return (Object.keys(handlers) as CommandId[]).map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handlers[id] as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        onError(id, e);
      }
    }),
  );
}

/** A typed `executeCommand` for our own commands (code lenses, tree items). */
export function commandFor<K extends CommandId>(id: K, title: string, ...args: SceneCommands[K]): vscode.Command {
  return { command: id, title, arguments: args };
}

/** VS Code's generated "focus" command for the Tasks view. */
export const FOCUS_TASKS_VIEW = "sceneRunner.tasks.focus";
