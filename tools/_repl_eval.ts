/**
 * The backdoor's evaluator: runs one REPL input in the live process, with
 * top-level `await`, against a session's variables, and gives back the value
 * of its last expression, as a REPL does.
 *
 * How: the input becomes the body of an `AsyncFunction` (so `await` works)
 * inside `with (scope)`, where `scope` is a Proxy over the session's
 * variables. Names the session defines resolve there, globals resolve as
 * usual, and an assignment to an undeclared name lands in the session (not on
 * `globalThis`). Top-level `let`/`const`/`var`/`function`/`class`
 * declarations are copied into the session when the input ends, so they live
 * on to the next input. TypeScript annotations are stripped first where the
 * runtime offers `node:module`'s `stripTypeScriptTypes` (Deno 2; Node 22.13
 * and later), not on Node 20.
 *
 * @module
 */
import { nodeBuiltin } from "../hubs/runtime.ts";
import { declaredNames, isUnfinished, statementStarts } from "./_repl_scan.ts";

type Strip = (code: string, options?: { mode?: string }) => string;
const strip = nodeBuiltin<{ stripTypeScriptTypes?: Strip }>("node:module").stripTypeScriptTypes;

/** Whether this runtime strips TypeScript annotations from backdoor input. */
export const stripsTypes: boolean = typeof strip === "function";

const AsyncFunction = (async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;
const SCOPE = "__evyScope";
const RESULT = "__evyResult";

/** The session variables as the `with` scope sees them. */
export function sessionScope(vars: Record<string, unknown>): object {
  return new Proxy(vars, {
    has(target, key) {
      if (typeof key !== "string" || key === SCOPE || key === "arguments") return false;
      return key in target || !(key in globalThis);
    },
    get(target, key) {
      if (key === Symbol.unscopables) return undefined;
      if (typeof key === "string" && !(key in target)) throw new ReferenceError(`${key} is not defined`);
      return target[key as string];
    },
    set(target, key, value) {
      target[key as string] = value;
      return true;
    },
  });
}

/** What compiling an input gave: something to run, an input still open, or a syntax error. */
export type Compiled =
  | { kind: "run"; run: (scope: object) => Promise<unknown> }
  | { kind: "incomplete" }
  | { kind: "error"; error: SyntaxError };

function tryCompile(body: string): ((scope: object) => Promise<unknown>) | SyntaxError {
  try {
    return new AsyncFunction(SCOPE, body) as (scope: object) => Promise<unknown>;
  } catch (error) {
    if (error instanceof SyntaxError) return error;
    throw error;
  }
}

/** Compiles one input (possibly several lines). */
export function compileInput(input: string): Compiled {
  let code = input;
  if (strip !== undefined) {
    try {
      code = strip(input, { mode: "strip" });
    } catch {
      // Not TypeScript the stripper can take (or not finished yet): let the engine say.
    }
  }
  const hoist = declaredNames(code).map((name) => `${SCOPE}.${name} = ${name};`).join(" ");
  // The value of the last statement, when it is an expression: try the tails, last first.
  const starts = statementStarts(code);
  for (let i = starts.length - 1; i >= 0; i--) {
    const head = code.slice(0, starts[i]);
    const tail = code.slice(starts[i]).trim().replace(/;+$/, "");
    if (tail === "" || /^(let|const|var|function|async\s+function|class)\b/.test(tail)) continue;
    const fn = tryCompile(`with (${SCOPE}) { ${head}\n; const ${RESULT} = (${tail}\n); ${hoist} return ${RESULT}; }`);
    if (typeof fn === "function") return { kind: "run", run: fn };
  }
  const fn = tryCompile(`with (${SCOPE}) { ${code}\n; ${hoist} }`);
  if (typeof fn === "function") return { kind: "run", run: fn };
  // The input on its own gives the engine's own message (and tells an unfinished input).
  const bare = tryCompile(code);
  const error = typeof bare === "function" ? fn : bare;
  return isUnfinished(code) ? { kind: "incomplete" } : { kind: "error", error };
}
