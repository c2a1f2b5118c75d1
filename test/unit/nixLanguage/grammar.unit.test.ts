// The fallback Nix grammar (syntaxes/nix.tmLanguage.json) and language configuration: the JSON is
// sound (every include resolves, every rule is used, every regex compiles as a JavaScript regex
// and uses nothing Oniguruma has that JavaScript lacks), and a small TextMate engine run over
// snippets and over the flake corpus scopes comments, strings, paths and URIs exactly where the
// project's Nix tokenizer (which follows Nix's own lexer) puts them.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { tokenize, type TokenKind } from "../../../src/core/flake/tokenizer";
import { REPO_ROOT } from "../repo";

const ROOT = REPO_ROOT;
const CORPUS_DIR = join(ROOT, "test", "fixtures", "flakes");

interface RawRule {
  name?: string;
  contentName?: string;
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: RawRule[];
  captures?: Record<string, { name?: string }>;
  beginCaptures?: Record<string, { name?: string }>;
  endCaptures?: Record<string, { name?: string }>;
  comment?: string;
}

interface Grammar extends RawRule {
  scopeName: string;
  repository: Record<string, RawRule>;
}

const grammar = JSON.parse(readFileSync(join(ROOT, "syntaxes", "nix.tmLanguage.json"), "utf8")) as Grammar;
const languageConfig = JSON.parse(readFileSync(join(ROOT, "language-configuration.json"), "utf8")) as {
  comments: { lineComment: string; blockComment: [string, string] };
  brackets: [string, string][];
  autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
  surroundingPairs: [string, string][];
  wordPattern: string;
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
};

/** Every rule object of the grammar, with where it is. */
function allRules(): { at: string; rule: RawRule }[] {
  const out: { at: string; rule: RawRule }[] = [];
  const walk = (rule: RawRule, at: string) => {
    out.push({ at, rule });
    rule.patterns?.forEach((r, i) => walk(r, `${at}.patterns[${i}]`));
  };
  grammar.patterns?.forEach((r, i) => walk(r, `patterns[${i}]`));
  for (const [name, rule] of Object.entries(grammar.repository)) walk(rule, `repository.${name}`);
  return out;
}

const REGEX_KEYS = ["match", "begin", "end"] as const;

/** Oniguruma syntax that JavaScript reads differently or not at all. */
const ONIGURUMA_ONLY: [RegExp, string][] = [
  [/\(\?>/, "atomic group (?>"],
  [/\\[hHAzZGK]/, "\\h \\A \\z \\Z \\G \\K"],
  [/[*+?}][+]/, "possessive quantifier"],
  [/\(\?[imx]+[):-]/, "inline flags"],
  [/\\p\{\^/, "negated \\p{^…}"],
  [/\(\?<[A-Za-z]\w*>.*\\g</, "\\g<name> subexpression call"],
];

describe("grammar JSON", () => {
  test("is the source.nix grammar, contributed for .nix files", () => {
    assert.equal(grammar.scopeName, "source.nix");
    assert.ok(grammar.patterns && grammar.patterns.length > 0);
  });

  test("every include resolves and every repository rule is used", () => {
    const used = new Set<string>();
    for (const { at, rule } of allRules()) {
      if (rule.include === undefined) continue;
      if (rule.include === "$self" || rule.include === "$base") continue;
      assert.match(rule.include, /^#/, `${at}: only local includes (${rule.include})`);
      const name = rule.include.slice(1);
      assert.ok(grammar.repository[name], `${at}: include ${rule.include} has no repository entry`);
      used.add(name);
    }
    assert.deepEqual(Object.keys(grammar.repository).filter((n) => !used.has(n)), [], "unused repository rules");
  });

  test("every rule is one kind of rule, with what that kind needs", () => {
    for (const { at, rule } of allRules()) {
      const kinds = [rule.include !== undefined, rule.match !== undefined, rule.begin !== undefined, rule.begin === undefined && rule.match === undefined && rule.include === undefined && rule.patterns !== undefined];
      assert.equal(kinds.filter(Boolean).length, 1, `${at}: exactly one of include, match, begin/end, patterns`);
      if (rule.begin !== undefined) assert.equal(typeof rule.end, "string", `${at}: begin without end`);
      if (rule.end !== undefined) assert.equal(typeof rule.begin, "string", `${at}: end without begin`);
      for (const key of ["captures", "beginCaptures", "endCaptures"] as const) {
        for (const k of Object.keys(rule[key] ?? {})) assert.match(k, /^\d+$/, `${at}.${key}: capture keys are group numbers`);
      }
    }
  });

  test("every scope name ends in .nix", () => {
    for (const { at, rule } of allRules()) {
      const names = [rule.name, rule.contentName, ...["captures", "beginCaptures", "endCaptures"].flatMap((k) => Object.values((rule as Record<string, Record<string, { name?: string }>>)[k] ?? {}).map((c) => c.name))];
      for (const n of names) if (n !== undefined) assert.match(n, /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.nix$/, `${at}: scope ${n}`);
    }
  });

  test("every regex compiles as a JavaScript regex (also with the u flag) and uses no Oniguruma-only syntax", () => {
    let count = 0;
    for (const { at, rule } of allRules()) {
      for (const key of REGEX_KEYS) {
        const source = rule[key];
        if (source === undefined) continue;
        count++;
        assert.doesNotThrow(() => new RegExp(source, "dgm"), `${at}.${key}: ${source}`);
        assert.doesNotThrow(() => new RegExp(source, "u"), `${at}.${key} (u flag): ${source}`);
        const unescaped = source.replace(/\\\\/g, "");
        for (const [pattern, what] of ONIGURUMA_ONLY) assert.doesNotMatch(unescaped, pattern, `${at}.${key} uses ${what}: ${source}`);
        // Capture numbers that the regex does not have are silently ignored by VS Code.
        const groups = new RegExp(`${source}|`).exec("")!.length - 1;
        for (const capturesKey of key === "match" ? ["captures"] : key === "begin" ? ["beginCaptures", "captures"] : ["endCaptures", "captures"]) {
          for (const k of Object.keys((rule as Record<string, Record<string, unknown>>)[capturesKey] ?? {})) {
            assert.ok(Number(k) <= groups, `${at}.${capturesKey}: group ${k} but the regex has ${groups}`);
          }
        }
      }
    }
    assert.ok(count > 20, `found ${count} regexes`);
  });
});

// --- A small TextMate engine: the rules VS Code applies (earliest match wins; on a tie the end
// pattern, then the first rule), on lines with their "\n" as vscode-textmate feeds them. ---

interface Frame {
  readonly rule: RawRule;
  readonly scopes: readonly string[];
  readonly end?: RegExp;
}

const regexCache = new Map<string, RegExp>();
function re(source: string): RegExp {
  let r = regexCache.get(source);
  if (!r) regexCache.set(source, (r = new RegExp(source, "dgm")));
  return r;
}

function expand(patterns: readonly RawRule[] | undefined, seen = new Set<string>()): RawRule[] {
  const out: RawRule[] = [];
  for (const p of patterns ?? []) {
    if (p.include !== undefined) {
      const name = p.include === "$self" || p.include === "$base" ? "$self" : p.include.slice(1);
      if (seen.has(name)) continue;
      const target = name === "$self" ? { patterns: grammar.patterns } : grammar.repository[name]!;
      out.push(...expand(target.match !== undefined || target.begin !== undefined ? [target] : target.patterns, new Set([...seen, name])));
    } else if (p.match !== undefined || p.begin !== undefined) out.push(p);
    else out.push(...expand(p.patterns, seen));
  }
  return out;
}

/** The scopes of every character of `text`, outermost first. */
function scopesOf(text: string): string[][] {
  const result: string[][] = [];
  const stack: Frame[] = [{ rule: grammar, scopes: [grammar.scopeName] }];
  const expanded = new Map<RawRule, RawRule[]>();
  const patternsOf = (rule: RawRule) => {
    let list = expanded.get(rule);
    if (!list) expanded.set(rule, (list = expand(rule.patterns)));
    return list;
  };
  const lines = text.split("\n");
  lines.forEach((raw, lineIndex) => {
    const line = lineIndex < lines.length - 1 ? `${raw}\n` : raw;
    const scopes: string[][] = Array.from({ length: line.length }, () => []);
    const paint = (from: number, to: number, names: readonly (string | undefined)[]) => {
      for (let i = from; i < to; i++) scopes[i] = names.filter((n): n is string => n !== undefined);
    };
    const paintCaptures = (m: RegExpExecArray, base: readonly string[], captures: RawRule["captures"]) => {
      for (const [k, c] of Object.entries(captures ?? {})) {
        const span = m.indices?.[Number(k)];
        if (span && c.name) for (let i = span[0]; i < span[1]; i++) scopes[i] = [...base, c.name];
      }
    };
    let pos = 0;
    let guard = 0;
    while (pos < line.length) {
      if (++guard > 10_000) throw new Error(`no progress on line ${lineIndex + 1}`);
      const top = stack.at(-1)!;
      let best: { m: RegExpExecArray; rule?: RawRule } | undefined;
      if (top.end) {
        top.end.lastIndex = pos;
        const m = top.end.exec(line);
        if (m) best = { m };
      }
      for (const rule of patternsOf(top.rule)) {
        const r = re((rule.match ?? rule.begin)!);
        r.lastIndex = pos;
        const m = r.exec(line);
        if (m && (!best || m.index < best.m.index)) best = { m, rule };
      }
      if (!best) {
        paint(pos, line.length, top.scopes);
        break;
      }
      const { m, rule } = best;
      paint(pos, m.index, top.scopes);
      const matchEnd = m.index + m[0].length;
      if (!rule) {
        // The end of the innermost begin/end rule.
        const outer = stack.length > 1 ? stack[stack.length - 2]!.scopes : top.scopes;
        const own = [...outer, ...(top.rule.name ? [top.rule.name] : [])];
        paint(m.index, matchEnd, own);
        paintCaptures(m, own, top.rule.endCaptures ?? top.rule.captures);
        stack.pop();
      } else if (rule.match !== undefined) {
        const own = [...top.scopes, rule.name];
        paint(m.index, matchEnd, own);
        paintCaptures(m, own.filter((s): s is string => s !== undefined), rule.captures);
      } else {
        const own = [...top.scopes, ...(rule.name ? [rule.name] : [])];
        paint(m.index, matchEnd, own);
        paintCaptures(m, own, rule.beginCaptures ?? rule.captures);
        stack.push({ rule, scopes: [...own, ...(rule.contentName ? [rule.contentName] : [])], end: re(rule.end!) });
      }
      pos = matchEnd > pos ? matchEnd : pos + (rule?.match !== undefined ? 1 : 0);
      if (matchEnd === m.index && rule?.begin !== undefined && stack.length > 50) throw new Error("empty begin loops");
    }
    result.push(...scopes);
  });
  return result;
}

/** The innermost scopes of each occurrence of `needle` (all its characters must agree). */
function scopeAt(text: string, needle: string, occurrence = 0): string[] {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${JSON.stringify(needle)} #${occurrence} not in the sample`);
  }
  const all = scopesOf(text);
  const first = all[at]!;
  for (let i = at; i < at + needle.length; i++) {
    assert.deepEqual(all[i], first, `${JSON.stringify(needle)}: character ${i - at} differs: ${all[i]} vs ${first}`);
  }
  return first;
}

const has = (scopes: readonly string[], prefix: string) => scopes.some((s) => s === prefix || s.startsWith(`${prefix}.`));
const innermost = (scopes: readonly string[]) => scopes.at(-1) ?? "";

describe("tokenizing snippets", () => {
  test("line and block comments, with string quotes and brackets inside", () => {
    const text = `a = 1; # a "comment" [ with ] stuff\n/* block ''x'' "y"\n  second line ] */ b = 2;`;
    assert.equal(innermost(scopeAt(text, "#")), "punctuation.definition.comment.nix");
    assert.equal(innermost(scopeAt(text, ` a "comment" [ with ] stuff`)), "comment.line.number-sign.nix");
    assert.ok(has(scopeAt(text, `''x''`), "comment.block"));
    assert.ok(has(scopeAt(text, "second line ]"), "comment.block"));
    assert.equal(innermost(scopeAt(text, "b", 1)), "entity.other.attribute-name.nix");
  });

  test("double-quoted strings: escapes, interpolation with nested braces, $${ literal", () => {
    const text = `x = "a\\"b \${ { c = 1; }.c } d $\${e} f";\ny = 1;`;
    assert.ok(has(scopeAt(text, "a"), "string.quoted.double"));
    assert.equal(innermost(scopeAt(text, `\\"`)), "constant.character.escape.nix");
    assert.equal(innermost(scopeAt(text, "${")), "punctuation.section.embedded.begin.nix");
    assert.ok(has(scopeAt(text, "${"), "meta.embedded.interpolation"));
    assert.equal(innermost(scopeAt(text, "c")), "entity.other.attribute-name.nix");
    assert.ok(has(scopeAt(text, "c"), "meta.embedded.interpolation"));
    assert.ok(has(scopeAt(text, " d "), "string.quoted.double"));
    assert.ok(!has(scopeAt(text, " d "), "meta.embedded"), "the interpolation ended at its own }");
    assert.ok(!has(scopeAt(text, "e}"), "meta.embedded"), "$${ is not an interpolation");
    assert.equal(innermost(scopeAt(text, "y")), "entity.other.attribute-name.nix", "the string ended");
  });

  test("indented strings: ''' ''$ ''\\ escapes, interpolation, end", () => {
    const text = `s = ''\n  a ''' b ''\${c} ''\\n \${d} e\n'';\nz = 3;`;
    assert.ok(has(scopeAt(text, "  a "), "string.quoted.other.indented"));
    assert.equal(innermost(scopeAt(text, "'''")), "constant.character.escape.nix");
    assert.equal(innermost(scopeAt(text, "''$")), "constant.character.escape.nix");
    assert.ok(!has(scopeAt(text, "{c}"), "meta.embedded"), "''${ is an escaped ${");
    assert.equal(innermost(scopeAt(text, "''\\n")), "constant.character.escape.nix");
    assert.equal(innermost(scopeAt(text, "d")), "variable.other.nix");
    assert.ok(has(scopeAt(text, "d"), "meta.embedded.interpolation"));
    assert.equal(innermost(scopeAt(text, "z")), "entity.other.attribute-name.nix", "the string ended at ''");
  });

  test("paths, search paths, home paths, URIs", () => {
    const text = `{ a = ./foo/bar.nix; b = <nixpkgs>; c = ~/x; d = https://example.org/x?y=1; e = github:NixOS/nixpkgs; f = ./dir/\${n}; g = 1 / 2; }`;
    assert.equal(innermost(scopeAt(text, "./foo/bar.nix")), "constant.other.path.nix");
    assert.equal(innermost(scopeAt(text, "<nixpkgs>")), "constant.other.path.search.nix");
    assert.equal(innermost(scopeAt(text, "~/x")), "constant.other.path.home.nix");
    assert.equal(innermost(scopeAt(text, "https://example.org/x?y=1")), "string.unquoted.url.nix");
    assert.equal(innermost(scopeAt(text, "github:NixOS/nixpkgs")), "string.unquoted.url.nix");
    assert.equal(innermost(scopeAt(text, "./dir/")), "constant.other.path.nix");
    assert.equal(innermost(scopeAt(text, "/", text.split("/").length - 2)), "keyword.operator.arithmetic.nix");
  });

  test("keywords, constants, numbers, builtins, operators", () => {
    const text = `let x = if true then 1.5e3 else null; in with x; rec { inherit (x) y; z = builtins.toJSON (map toString [ 42 ]) ++ [] // {}; w = a.b or c; }`;
    for (const k of ["let", "in", "with", "rec", "inherit"]) assert.equal(innermost(scopeAt(text, k)), "keyword.other.nix", k);
    assert.equal(innermost(scopeAt(text, "if")), "keyword.control.conditional.nix");
    assert.equal(innermost(scopeAt(text, "true")), "constant.language.boolean.nix");
    assert.equal(innermost(scopeAt(text, "null")), "constant.language.null.nix");
    assert.equal(innermost(scopeAt(text, "1.5e3")), "constant.numeric.float.nix");
    assert.equal(innermost(scopeAt(text, "42")), "constant.numeric.integer.nix");
    assert.equal(innermost(scopeAt(text, "builtins")), "support.constant.builtins.nix");
    assert.equal(innermost(scopeAt(text, "toJSON")), "support.function.builtin.nix");
    assert.equal(innermost(scopeAt(text, "map")), "support.function.builtin.nix");
    assert.equal(innermost(scopeAt(text, "++")), "keyword.operator.concat.nix");
    assert.equal(innermost(scopeAt(text, "//")), "keyword.operator.update.nix");
    assert.equal(innermost(scopeAt(text, "or")), "keyword.operator.or.nix");
  });

  test("attribute names before = (not ==), lambda parameters, identifiers with - and '", () => {
    const text = `{ a.b-c = x == y; foo' = p: with p; [ torch python3Packages.numpy ]; args@{ self, ... }: self; }`;
    assert.equal(innermost(scopeAt(text, "a")), "entity.other.attribute-name.nix");
    assert.equal(innermost(scopeAt(text, "b-c")), "entity.other.attribute-name.nix");
    assert.equal(innermost(scopeAt(text, "x")), "variable.other.nix");
    assert.equal(innermost(scopeAt(text, "==")), "keyword.operator.comparison.nix");
    assert.equal(innermost(scopeAt(text, "foo'")), "entity.other.attribute-name.nix");
    assert.equal(innermost(scopeAt(text, "p")), "variable.parameter.name.nix");
    assert.equal(innermost(scopeAt(text, "p", 1)), "variable.other.nix");
    assert.equal(innermost(scopeAt(text, "python3Packages")), "variable.other.nix");
    assert.equal(innermost(scopeAt(text, "args")), "variable.parameter.name.nix");
  });
});

describe("agreement with the project's Nix tokenizer on the flake corpus", () => {
  const EXPECTED: Partial<Record<TokenKind, string[]>> = {
    comment: ["comment"],
    string: ["string.quoted.double"],
    "indented-string": ["string.quoted.other.indented"],
    path: ["constant.other.path"],
    uri: ["string.unquoted.url"],
    number: ["constant.numeric"],
  };
  const files = readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".nix"));
  test("the corpus is there", () => assert.ok(files.length >= 15, files.join(", ")));
  for (const file of files) {
    test(file, () => {
      const text = readFileSync(join(CORPUS_DIR, file), "utf8");
      const scopes = scopesOf(text);
      assert.equal(scopes.length, text.length);
      const commentOrString = new Array<boolean>(text.length).fill(false);
      for (const token of tokenize(text)) {
        const expected = EXPECTED[token.kind];
        if (token.kind === "comment" || token.kind === "string" || token.kind === "indented-string") commentOrString.fill(true, token.start, token.end);
        if (!expected) continue;
        for (let i = token.start; i < token.end; i++) {
          if (text[i] === "\r" || text[i] === "\n") continue;
          assert.ok(
            expected.some((e) => has(scopes[i]!, e)),
            `${file}: ${token.kind} ${JSON.stringify(token.text.slice(0, 40))} at offset ${i} is scoped ${scopes[i]!.join(" ")}`,
          );
        }
      }
      // And the other way round: nothing outside comments and strings looks like one.
      scopes.forEach((s, i) => {
        if (commentOrString[i] || text[i] === "\n" || text[i] === "\r") return;
        assert.ok(!has(s, "comment") && !s.some((x) => x.startsWith("string.quoted")), `${file}: offset ${i} (${JSON.stringify(text.slice(i, i + 20))}) is scoped ${s.join(" ")}`);
      });
    });
  }
});

describe("language configuration", () => {
  test("comments and brackets are Nix's", () => {
    assert.equal(languageConfig.comments.lineComment, "#");
    assert.deepEqual(languageConfig.comments.blockComment, ["/*", "*/"]);
    assert.deepEqual(languageConfig.brackets.map((b) => b.join("")).sort(), ["()", "[]", "{}"]);
  });

  test("auto-closing and surrounding pairs include '' (indented strings) but not a lone ' (identifiers use it)", () => {
    const opens = languageConfig.autoClosingPairs.map((p) => p.open);
    assert.ok(opens.includes("''") && opens.includes('"'), opens.join(" "));
    assert.ok(!opens.includes("'"));
    assert.ok(languageConfig.surroundingPairs.some(([a, b]) => a === "''" && b === "''"));
  });

  test("the word pattern keeps Nix identifiers whole", () => {
    const word = new RegExp(languageConfig.wordPattern, "g");
    assert.deepEqual("python3Packages.numpy foo-bar' 1.5".match(word), ["python3Packages", "numpy", "foo-bar'", "1.5"]);
  });

  test("indentation rules", () => {
    const increase = new RegExp(languageConfig.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(languageConfig.indentationRules.decreaseIndentPattern);
    for (const line of ["{", "  outputs = { self }: {", "  let", "    x = [", "    shellHook = ''", "  foo = bar ( # comment"]) assert.match(line, increase, line);
    for (const line of ["  x = 1;", "  # {", "  inherit x;", "  '';", "  y = ''a'';", "  outlet"]) assert.doesNotMatch(line, increase, line);
    for (const line of ["  }", "  ];", "  in {", "  '';", ")"]) assert.match(line, decrease, line);
    for (const line of ["  inherit x;", "  x = 1;", "  ''$ escaped"]) assert.doesNotMatch(line, decrease, line);
  });
});
