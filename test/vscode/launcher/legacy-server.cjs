// Starts the VS Code server of code-server releases whose out/server-main.js is a library (4.93:
// it exports loadCodeWithNls() for code-server's own HTTP server instead of listening itself).
// Does what upstream server-main.js does: create the server, serve HTTP and WebSocket upgrades,
// and print the line the launcher waits for. Usage: node legacy-server.cjs SERVER_MAIN [server args]
const http = require("node:http");

// The server's options as createServer() takes them: kebab-case keys, flags as true.
function parseServerArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, "");
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) args[key] = argv[++i];
    else args[key] = key === "enable-proposed-api" ? [] : true; // a list option given bare
  }
  return args;
}

async function main() {
  const [serverMain, ...argv] = process.argv.slice(2);
  const args = parseServerArgs(argv);
  const serverModule = await require(serverMain).loadCodeWithNls();
  const server = await serverModule.createServer(null, { ...args, compatibility: "1.64" });
  const port = Number(args.port);
  http
    .createServer((req, res) => server.handleRequest(req, res))
    .on("upgrade", (req, socket) => server.handleUpgrade(req, socket))
    .listen(port, args.host, () => console.log(`Extension host agent listening on ${port}`));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
