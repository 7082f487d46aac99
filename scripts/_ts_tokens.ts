/**
 * A small TypeScript tokenizer for the repository's checks: it drops comments
 * and keeps identifiers, punctuation, numbers and string contents (template
 * literals are split at `${`/`}` so the code inside them is scanned too), each
 * with its line. Regular-expression literals are told from division by the
 * token before them, as the language does. It does not parse: checks match
 * short token sequences (`Deno` `.` `listen`, `import` `(` `"node:fs"`).
 *
 * (npm's `typescript` here is version 7, the native compiler, which has no
 * JavaScript API; a tokenizer is all these checks need.)
 *
 * @module
 */

/** One token. */
export interface Token {
  /** `id` (identifiers and keywords), `str` (string contents), `num`, `punct`, `regex`. */
  readonly kind: "id" | "str" | "num" | "punct" | "regex";
  readonly value: string;
  /** 1-based line. */
  readonly line: number;
}

const ID_START = /[A-Za-z_$\u00a0-\uffff]/;
const ID_PART = /[A-Za-z0-9_$\u00a0-\uffff]/;
const PUNCT3 = ["...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??="];
const PUNCT2 = [
  "=>",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "??",
  "?.",
  "++",
  "--",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "**",
  "<<",
  ">>",
];
/** Keywords after which a `/` starts a regular expression. */
const BEFORE_REGEX = new Set([
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "instanceof",
  "new",
  "delete",
  "void",
  "throw",
  "yield",
  "await",
  "of",
]);

/** Splits `source` into tokens (comments dropped). */
export function tokenize(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  // Template nesting: each entry counts the open braces of one `${ ... }`.
  const templates: number[] = [];
  const push = (kind: Token["kind"], value: string, at: number): void => void out.push({ kind, value, line: at });

  const regexAllowed = (): boolean => {
    const prev = out.at(-1);
    if (prev === undefined) return true;
    if (prev.kind === "num" || prev.kind === "str" || prev.kind === "regex") return false;
    if (prev.kind === "id") return BEFORE_REGEX.has(prev.value);
    return !(prev.value === ")" || prev.value === "]" || prev.value === "}");
  };

  /** Reads a template's text from `i` (just after "`" or a closing "}") to "`" or "${". */
  const templateText = (): void => {
    const start = line;
    let text = "";
    while (i < source.length) {
      const c = source[i]!;
      if (c === "\\") {
        text += source.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === "`") {
        i++;
        push("str", text, start);
        return;
      }
      if (c === "$" && source[i + 1] === "{") {
        i += 2;
        push("str", text, start);
        templates.push(0);
        return;
      }
      if (c === "\n") line++;
      text += c;
      i++;
    }
    push("str", text, start);
  };

  while (i < source.length) {
    const c = source[i]!;
    if (c === "\n") {
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      for (let k = i; k < stop; k++) if (source[k] === "\n") line++;
      i = stop;
    } else if (c === '"' || c === "'") {
      const start = line;
      let text = "";
      i++;
      while (i < source.length && source[i] !== c && source[i] !== "\n") {
        if (source[i] === "\\") {
          text += source[i + 1] ?? "";
          i += 2;
        } else text += source[i++];
      }
      i++;
      push("str", text, start);
    } else if (c === "`") {
      i++;
      templateText();
    } else if (c === "}" && templates.length > 0 && templates.at(-1) === 0) {
      templates.pop();
      i++;
      templateText();
    } else if (ID_START.test(c)) {
      let j = i + 1;
      while (j < source.length && ID_PART.test(source[j]!)) j++;
      push("id", source.slice(i, j), line);
      i = j;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(source[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < source.length && /[0-9A-Za-z_.]/.test(source[j]!)) j++;
      push("num", source.slice(i, j), line);
      i = j;
    } else if (c === "/" && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < source.length && source[j] !== "\n") {
        const d = source[j]!;
        if (d === "\\") j++;
        else if (d === "[") inClass = true;
        else if (d === "]") inClass = false;
        else if (d === "/" && !inClass) break;
        j++;
      }
      j++;
      while (j < source.length && /[a-z]/.test(source[j]!)) j++;
      push("regex", source.slice(i, j), line);
      i = j;
    } else {
      const three = source.slice(i, i + 3);
      const two = source.slice(i, i + 2);
      const p = PUNCT3.includes(three) ? three : PUNCT2.includes(two) ? two : c;
      if (templates.length > 0) {
        if (p === "{") templates[templates.length - 1]!++;
        else if (p === "}") templates[templates.length - 1]!--;
      }
      push("punct", p, line);
      i += p.length;
    }
  }
  return out;
}
