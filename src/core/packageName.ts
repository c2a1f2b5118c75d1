// Python distribution names.

/** PEP 503 normalisation: "Foo_Bar.baz" and "foo-bar-baz" are the same project. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** A requirement a user may type for `uv add`: a PEP 508 name with optional extras and version specifier. */
export function isValidRequirement(text: string): boolean {
  return /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?(\[[A-Za-z0-9._,-]+\])?\s*((==|>=|<=|~=|!=|>|<|===)\s*[A-Za-z0-9.*+!_-]+\s*(,\s*(==|>=|<=|~=|!=|>|<)\s*[A-Za-z0-9.*+!_-]+\s*)*)?$/.test(text);
}
