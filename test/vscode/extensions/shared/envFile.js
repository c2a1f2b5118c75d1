// How ms-python.python reads `python.envFile` (vscode-python 757def8,
// src/client/common/variables/environment.ts and environmentVariablesProvider.ts), for the fake:
// - a line is NAME=VALUE (NAME may start with underscores; spaces around = are dropped); a value
//   in matching single or double quotes loses them, and `\n` inside becomes a newline;
// - `${NAME}` is replaced by an earlier line's value, else the process environment's, else "";
//   `\${` is kept as written, a malformed `${…}` leaves the whole value as it was, and `\$`
//   becomes `$`;
// - the result is laid over the process environment, except PATH and PYTHONPATH: the file's value
//   comes first and the process's is appended after the path delimiter.
const path = require("node:path");

const LINE = /^\s*(_*[a-zA-Z]\w*)\s*=\s*(.*?)?\s*$/;
const SUBSTITUTION = /\${([a-zA-Z]\w*)?([^}\w].*)?}/g;

function parseLine(line) {
  const match = LINE.exec(line);
  if (!match) return ["", ""];
  let value = match[2] ?? "";
  if ((value[0] === "'" && value.at(-1) === "'") || (value[0] === '"' && value.at(-1) === '"')) {
    value = value.slice(1, -1).replace(/\\n/gm, "\n");
  }
  return [match[1], value];
}

function substitute(value, local, base) {
  let invalid = false;
  const replaced = value.replace(SUBSTITUTION, (whole, name, bogus, offset, text) => {
    if (offset > 0 && text[offset - 1] === "\\") return whole;
    if ((bogus && bogus !== "") || !name) {
      invalid = true;
      return whole;
    }
    return local[name] || base[name] || "";
  });
  return (invalid ? value : replaced).replace(/\\\$/g, "$");
}

/** NAME → value of an env file's text, `${NAME}` resolved against earlier lines, then `base`. */
function parseEnvFile(text, base = {}) {
  const vars = {};
  for (const line of String(text).split("\n")) {
    const [name, value] = parseLine(line);
    if (name) vars[name] = substitute(value, vars, base);
  }
  return vars;
}

function appendPaths(vars, name, value) {
  const extra = (value ?? "").trim();
  if (!extra) return;
  vars[name] = vars[name] ? `${vars[name]}${path.delimiter}${extra}` : extra;
}

/** What getEnvironmentVariables() returns: the file's variables over the process environment. */
function mergedEnvironment(fileVars, processEnv) {
  const merged = { ...fileVars };
  for (const [k, v] of Object.entries(processEnv)) {
    if (k !== "PATH" && k !== "PYTHONPATH" && merged[k] === undefined) merged[k] = v;
  }
  appendPaths(merged, "PATH", processEnv.PATH);
  appendPaths(merged, "PYTHONPATH", processEnv.PYTHONPATH);
  return merged;
}

/** The python.envFile setting with the variables SystemVariables resolves that a folder setting uses. */
function resolveEnvFileSetting(setting, folderPath, processEnv) {
  return setting
    .replace(/\$\{workspaceFolder\}|\$\{workspaceRoot\}/g, folderPath ?? "")
    .replace(/\$\{workspaceFolderBasename\}/g, folderPath ? path.basename(folderPath) : "")
    .replace(/\$\{env:([^}]+)\}/g, (_, name) => processEnv[name] ?? "");
}

module.exports = { parseEnvFile, mergedEnvironment, resolveEnvFileSetting };
