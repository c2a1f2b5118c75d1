// Servers run in their own process group (so that stopping one also ends its extension hosts),
// which also means Ctrl-C or a CI timeout signal to the launcher would not reach them. Everything
// started registers its stop here; on SIGINT/SIGTERM/SIGHUP the launcher stops it all, then exits.
const pending = new Set();

/** Registers `stop` until the returned function is called. */
export function stopOnSignal(stop) {
  pending.add(stop);
  return () => pending.delete(stop);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(signal, async () => {
    console.error(`[test:vscode] ${signal}: stopping ${pending.size} server(s)/browser(s)`);
    await Promise.allSettled([...pending].map((stop) => stop()));
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]));
  });
}
