// extension.activation peer: the smallest useful extension — one output channel, one
// command, one status bar item — activated the same way as ours.
const vscode = require("vscode");

exports.activate = function activate(context) {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel("Hello", { log: true });
  context.subscriptions.push(channel);
  context.subscriptions.push(vscode.commands.registerCommand("hello.run", () => channel.info("hello")));
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left);
  item.text = "hello";
  item.show();
  context.subscriptions.push(item);
  channel.info(`activated in ${(performance.now() - started).toFixed(3)} ms`);
};
