/**
 * Just enough of a JavaScript scanner for the backdoor's evaluator: where the
 * top-level statements of an input may begin, and which names its top-level
 * declarations bind. Strings, template literals and comments are skipped;
 * brackets are counted so that only depth 0 counts. It need not be a parser:
 * a wrong guess costs a value not printed or a name not kept, never a wrong
 * result (the engine compiles what runs).
 *
 * @module
 */

interface Token {
  readonly kind: "id" | "punct" | "nl";
  readonly value: string;
  /** Offset just after the token. */
  readonly end: number;
  /** Bracket depth before the token. */
  readonly depth: number;
}

const OPEN = new Set(["(", "[", "{"]);
const CLOSE = new Set([")", "]", "}"]);

/** Skips a string or template starting at `i` (its quote); returns the offset after it, negated when unterminated. */
function skipQuoted(code: string, i: number): number {
  const quote = code[i];
  let j = i + 1;
  let braces = 0;
  while (j < code.length) {
    const c = code[j]!;
    if (c === "\\") j += 2;
    else if (quote === "`" && c === "$" && code[j + 1] === "{") {
      braces++;
      j += 2;
    } else if (quote === "`" && braces > 0 && c === "}") {
      braces--;
      j++;
    } else if (c === quote && braces === 0) return j + 1;
    else if (c === "\n" && quote !== "`") return j;
    else j++;
  }
  return quote === "`" ? -code.length : code.length;
}

interface Scan {
  readonly tokens: Token[];
  /** Whether the input ends inside brackets, a template literal or a block comment. */
  readonly open: boolean;
}

function scan(code: string): Scan {
  const out: Token[] = [];
  let open = false;
  let depth = 0;
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    if (c === "\n") {
      out.push({ kind: "nl", value: c, end: i + 1, depth });
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === "/" && code[i + 1] === "/") {
      while (i < code.length && code[i] !== "\n") i++;
    } else if (c === "/" && code[i + 1] === "*") {
      const close = code.indexOf("*/", i + 2);
      if (close < 0) open = true;
      i = close < 0 ? code.length : close + 2;
    } else if (c === '"' || c === "'" || c === "`") {
      i = skipQuoted(code, i);
      if (i < 0) {
        open = true;
        i = -i;
      }
      out.push({ kind: "punct", value: "str", end: i, depth });
    } else if (/[A-Za-z_$\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < code.length && /[\w$\u0080-\uffff]/.test(code[j]!)) j++;
      out.push({ kind: "id", value: code.slice(i, j), end: j, depth });
      i = j;
    } else {
      if (CLOSE.has(c)) depth = Math.max(0, depth - 1);
      out.push({ kind: "punct", value: c, end: i + 1, depth });
      if (OPEN.has(c)) depth++;
      i++;
    }
  }
  return { tokens: out, open: open || depth > 0 };
}

function tokens(code: string): Token[] {
  return scan(code).tokens;
}

/** Whether `code` stops inside brackets, a template literal or a comment: more lines should follow. */
export function isUnfinished(code: string): boolean {
  return scan(code).open;
}

function endsStatement(t: Token): boolean {
  return t.depth === 0 && (t.kind === "nl" || t.value === ";" || t.value === "}");
}

/** Offsets where a top-level statement may begin: 0, and after each top-level `;`, `}` or newline. */
export function statementStarts(code: string): number[] {
  const starts = [0];
  for (const t of tokens(code)) if (endsStatement(t)) starts.push(t.end);
  return starts;
}

/** The names bound by the top-level `let`/`const`/`var`/`function`/`class` declarations of `code`. */
export function declaredNames(code: string): string[] {
  const ts = tokens(code);
  const names = new Set<string>();
  let atStart = true;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (endsStatement(t)) {
      atStart = true;
      continue;
    }
    if (!atStart || t.kind !== "id") {
      atStart = false;
      continue;
    }
    atStart = false;
    if (t.value === "function" || t.value === "class" || (t.value === "async" && ts[i + 1]?.value === "function")) {
      let j = i + 1;
      while (ts[j] !== undefined && (ts[j]!.value === "function" || ts[j]!.value === "*")) j++;
      if (ts[j]?.kind === "id") names.add(ts[j]!.value);
      continue;
    }
    if (t.value !== "let" && t.value !== "const" && t.value !== "var") continue;
    // Bindings, separated by top-level commas; a pattern's names are the ids not followed by ':'.
    let j = i + 1;
    let expectBinding = true;
    for (; j < ts.length; j++) {
      const u = ts[j]!;
      if (u.depth === 0 && (u.kind === "nl" || u.value === ";")) break;
      if (u.depth === 0 && u.value === ",") {
        expectBinding = true;
        continue;
      }
      if (!expectBinding) continue;
      if (u.kind === "id" && u.depth === 0) {
        names.add(u.value);
        expectBinding = false;
      } else if (u.depth === 0 && (u.value === "{" || u.value === "[")) {
        for (j++; j < ts.length && ts[j]!.depth > 0; j++) {
          const v = ts[j]!;
          if (v.kind === "id" && ts[j + 1]?.value !== ":") names.add(v.value);
        }
        expectBinding = false;
      }
    }
    i = j - 1;
  }
  return [...names];
}
