/**
 * `Deno.test` on `node:test`, for the runtime-neutral tests run against the npm
 * build under Node (`deno task test:node`). scripts/_node_tests.ts prepends
 * `import { Deno } from ".../node/_deno_test_shim.js"` to each built test file,
 * so the binding is module-local: there is no global `Deno` on Node.
 *
 * Covers the call forms the tests use: `(name, fn)`, `(fn)`, `(definition)`,
 * `(name, options, fn)`, `(options, fn)`, `ignore`, `only`, and `t.step(...)`.
 * Deno's op/resource sanitizers have no Node equivalent: leaks are caught by
 * the Deno run of the same files.
 *
 * @module
 */
import { test as nodeTest, type TestContext as NodeTestContext } from "node:test";

/** The part of Deno's test context the shim provides. */
export interface ShimTestContext {
  name: string;
  step(nameOrDef: string | ShimStepDefinition | ShimTestFn, fn?: ShimTestFn): Promise<boolean>;
}
/** A test or step body. */
export type ShimTestFn = (t: ShimTestContext) => void | Promise<void>;
/** The options of a test definition that the shim honours (others, such as sanitizers, are accepted and ignored). */
export interface ShimTestOptions {
  name?: string;
  ignore?: boolean;
  only?: boolean;
  [option: string]: unknown;
}
/** A full test definition. */
export interface ShimTestDefinition extends ShimTestOptions {
  fn?: ShimTestFn;
}
/** A step definition. */
export interface ShimStepDefinition {
  name: string;
  fn: ShimTestFn;
  ignore?: boolean;
}

function context(t: NodeTestContext, name: string): ShimTestContext {
  return {
    name,
    async step(nameOrDef, fn) {
      const def: ShimStepDefinition = typeof nameOrDef === "string"
        ? { name: nameOrDef, fn: fn! }
        : typeof nameOrDef === "function"
        ? { name: nameOrDef.name, fn: nameOrDef }
        : nameOrDef;
      if (typeof def.fn !== "function") throw new TypeError("t.step: fn must be a function");
      await t.test(def.name, { skip: def.ignore === true }, (sub) => def.fn(context(sub, def.name)));
      return true;
    },
  };
}

function normalize(a: unknown, b?: unknown, c?: unknown): ShimTestDefinition & { name: string; fn: ShimTestFn } {
  let def: ShimTestDefinition;
  if (typeof a === "function") def = { fn: a as ShimTestFn };
  else if (typeof a === "string") {
    def = typeof b === "function" ? { fn: b as ShimTestFn } : { ...(b as object), fn: c as ShimTestFn };
  } else def = typeof b === "function" ? { ...(a as object), fn: b as ShimTestFn } : { ...(a as object) };
  if (typeof a === "string") def.name = a;
  const fn = def.fn;
  if (typeof fn !== "function") throw new TypeError("Deno.test: fn must be a function");
  const name = def.name ?? fn.name;
  if (!name) throw new TypeError("Deno.test: the test needs a name");
  return { ...def, name, fn };
}

function register(def: ShimTestDefinition & { name: string; fn: ShimTestFn }): void {
  const options = def.only === true ? { skip: def.ignore === true, only: true } : { skip: def.ignore === true };
  nodeTest(def.name, options, (t) => def.fn(context(t, def.name)));
}

/** `Deno.test(...)` with Deno's call forms. */
function test(a: unknown, b?: unknown, c?: unknown): void {
  register(normalize(a, b, c));
}
/** `Deno.test.ignore(...)`. */
test.ignore = (a: unknown, b?: unknown, c?: unknown): void => register({ ...normalize(a, b, c), ignore: true });
/** `Deno.test.only(...)`. */
test.only = (a: unknown, b?: unknown, c?: unknown): void => register({ ...normalize(a, b, c), only: true });

/** The stand-in for the `Deno` namespace inside built test files: only `test`. */
export const Deno: { test: typeof test } = { test };
