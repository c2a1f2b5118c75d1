// `--self-test`: proves the runner can fail. Runs the deliberately failing suite through the
// ordinary single-suite command line in a child process and checks that the child exits non-zero
// and closes with "0 passed, 1 failed, 0 skipped". The child's output is shown indented, so its
// closing line is not mistaken for ours. CI shows only the end of a log, so the failure itself
// must be repeated there.
import { spawn } from "node:child_process";

export async function runRunnerSelfTest(launcherPath, failing, print) {
  const args = [launcherPath, "--suite", failing.suite, "--workspace", failing.workspace];
  print(`[self-test] expecting a failure from: node ${args.join(" ")}`);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const show = (chunk) => {
    output += chunk;
    for (const line of chunk.toString().split("\n")) if (line) print(`  | ${line}`);
  };
  child.stdout.on("data", show);
  child.stderr.on("data", show);
  const code = await new Promise((resolve) => child.once("close", resolve));
  const checks = [
    [code !== 0, `the launcher exits non-zero (got ${code})`],
    [/^0 passed, 1 failed, 0 skipped$/m.test(output), 'the launcher prints "0 passed, 1 failed, 0 skipped"'],
    [/artifact: .*workbench\.png/.test(output), "a screenshot is kept as an artifact"],
    [/artifact: .*remoteexthost\.log/.test(output), "the extension host log is kept as an artifact"],
    [/\[test:vscode\] failed: failing[^\n]*\n(\s*\| .*\n)*\s*\| .*AssertionError/.test(output), "the end of the output repeats the failure, under the suite's name"],
  ];
  for (const [ok, what] of checks) print(`${ok ? "✓" : "✗"} ${what}`);
  const failed = checks.filter(([ok]) => !ok).length;
  print(`${checks.length - failed} passed, ${failed} failed, 0 skipped`);
  return failed > 0 ? 1 : 0;
}
