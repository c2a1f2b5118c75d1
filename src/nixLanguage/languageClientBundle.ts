// Bundled on its own as dist/languageClient.js and loaded only when a Nix language server starts:
// vscode-languageclient is larger than the rest of the extension together, and most sessions
// never need it.
export { LanguageClient, State } from "vscode-languageclient/node";
