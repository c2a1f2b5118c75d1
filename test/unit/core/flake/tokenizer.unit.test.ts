// The Nix tokenizer the flake editor relies on: it must end strings, comments and interpolations
// where Nix does, or a "[" inside a string would be taken for a list.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { NixSyntaxError } from "../../../../src/core/flake/errors";
import { isTrivia, lineColumn, tokenize, type TokenKind } from "../../../../src/core/flake/tokenizer";
import { REPO_ROOT } from "../../repo";

const CORPUS = join(REPO_ROOT, "test", "fixtures", "flakes");

/** [kind, text] of the meaningful tokens. */
function sig(text: string): [TokenKind, string][] {
  return tokenize(text)
    .filter((t) => !isTrivia(t))
    .map((t) => [t.kind, t.text]);
}

describe("tokenize: every byte is in exactly one token", () => {
  for (const file of readdirSync(CORPUS).filter((f) => f.endsWith(".nix"))) {
    test(file, () => {
      const text = readFileSync(join(CORPUS, file), "utf8");
      const tokens = tokenize(text);
      assert.equal(tokens.map((t) => t.text).join(""), text);
      tokens.forEach((t, i) => {
        assert.equal(text.slice(t.start, t.end), t.text);
        if (i > 0) assert.equal(t.start, tokens[i - 1]!.end);
      });
    });
  }
});

describe("tokenize: kinds and boundaries", () => {
  const cases: [string, string, [TokenKind, string][]][] = [
    ["line comment to end of line", "a # x [ ] ;\nb", [["identifier", "a"], ["identifier", "b"]]],
    ["block comment", "a /* [ ; \n ] */ b", [["identifier", "a"], ["identifier", "b"]]],
    ["string with escapes", String.raw`"a\"]; \\" x`, [["string", String.raw`"a\"]; \\"`], ["identifier", "x"]]],
    ["nested interpolation with braces in strings", '"a${ f "}" { b = "${c}"; } }z" y', [["string", '"a${ f "}" { b = "${c}"; } }z"'], ["identifier", "y"]]],
    ["$${ is literal in strings", '"$${x" y', [["string", '"$${x"'], ["identifier", "y"]]],
    ["indented string escapes", "''a''' ''$b ''\\n ]; '' c", [["indented-string", "''a''' ''$b ''\\n ]; ''"], ["identifier", "c"]]],
    ["''''\\n'' is one string", "''''\\n'' d", [["indented-string", "''''\\n''"], ["identifier", "d"]]],
    ["indented string interpolation", "''x ${ ''y'' + \"}\" } ]'' e", [["indented-string", "''x ${ ''y'' + \"}\" } ]''"], ["identifier", "e"]]],
    ["paths", "./a/b /etc/x ~/y a/b <nixpkgs/lib> ./c/${d}", [["path", "./a/b"], ["path", "/etc/x"], ["path", "~/y"], ["path", "a/b"], ["path", "<nixpkgs/lib>"], ["path", "./c/${d}"]]],
    ["division needs spaces; // is update", "a / b // c", [["identifier", "a"], ["punct", "/"], ["identifier", "b"], ["punct", "//"], ["identifier", "c"]]],
    ["uris as Nix lexes them", "github:NixOS/nixpkgs x:x", [["uri", "github:NixOS/nixpkgs"], ["uri", "x:x"]]],
    ["a lambda is not a uri", "p: with p; [ a ]", [["identifier", "p"], ["punct", ":"], ["identifier", "with"], ["identifier", "p"], ["punct", ";"], ["punct", "["], ["identifier", "a"], ["punct", "]"]]],
    ["identifiers with ' and -", "foo'-bar_1 python-pkgs.x", [["identifier", "foo'-bar_1"], ["identifier", "python-pkgs"], ["punct", "."], ["identifier", "x"]]],
    ["numbers", "1 2.5 1e3", [["number", "1"], ["number", "2.5"], ["number", "1e3"]]],
    ["operators, longest first", "{ ... }: a ++ b == c -> d ${e}", [["punct", "{"], ["punct", "..."], ["punct", "}"], ["punct", ":"], ["identifier", "a"], ["punct", "++"], ["identifier", "b"], ["punct", "=="], ["identifier", "c"], ["punct", "->"], ["identifier", "d"], ["punct", "${"], ["identifier", "e"], ["punct", "}"]]],
    ["a < b is not a search path", "a < b", [["identifier", "a"], ["punct", "<"], ["identifier", "b"]]],
  ];
  for (const [name, input, expected] of cases) test(name, () => assert.deepEqual(sig(input), expected));

  test("offsets", () => {
    const tokens = tokenize('x = "a";').filter((t) => !isTrivia(t));
    assert.deepEqual(
      tokens.map((t) => [t.start, t.end]),
      [[0, 1], [2, 3], [4, 7], [7, 8]],
    );
  });

  test("a CRLF file: \\r is whitespace, comments stop before it is relevant", () => {
    assert.deepEqual(sig("a # c\r\nb\r\n"), [["identifier", "a"], ["identifier", "b"]]);
  });
});

describe("tokenize: errors name the place", () => {
  for (const [what, input, line] of [
    ["unterminated string", 'a = "x;\n', 1],
    ["unterminated '' string", "a = ''\nx\n", 1],
    ["unterminated /* comment", "a\n/* x", 2],
    ["unterminated ${ interpolation", 'a = "${x', 1],
    ["unexpected character", "a = `x`;", 1],
  ] as const) {
    test(what, () => {
      assert.throws(
        () => tokenize(input),
        (err: unknown) => err instanceof NixSyntaxError && err.line === line && err.message.includes(what.split(" ")[0]!),
      );
    });
  }
});

test("lineColumn", () => {
  assert.deepEqual(lineColumn("ab\ncd", 4), { line: 2, column: 2 });
  assert.deepEqual(lineColumn("ab", 0), { line: 1, column: 1 });
});
