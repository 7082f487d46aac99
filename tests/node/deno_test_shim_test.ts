import assert from "node:assert/strict";

// Runs natively on Deno and through tests/node/_deno_test_shim.ts on Node
// (`deno task test:node`): every call form the suite may use must behave alike.

const ran: string[] = [];

Deno.test("Deno.test(name, fn) runs fn with a context that names the test", (t) => {
  assert.equal(t.name, "Deno.test(name, fn) runs fn with a context that names the test");
  ran.push("name-fn");
});

Deno.test({
  name: "Deno.test(definition) runs the definition's fn",
  sanitizeOps: true,
  fn() {
    ran.push("definition");
  },
});

Deno.test("Deno.test(name, options, fn) runs fn", { sanitizeResources: true }, () => {
  ran.push("name-options-fn");
});

Deno.test({ name: "Deno.test(options, fn) runs fn" }, () => {
  ran.push("options-fn");
});

Deno.test(function denoTestNamedFunctionTakesTheFunctionsName() {
  ran.push("named-fn");
});

Deno.test("t.step() runs steps in order, awaits async ones and nests", async (t) => {
  const steps: string[] = [];
  assert.equal(
    await t.step("first", async () => {
      await new Promise((r) => setTimeout(r, 1));
      steps.push("first");
    }),
    true,
  );
  await t.step({
    name: "second",
    fn: async (t2) => {
      await t2.step("nested", () => void steps.push("nested"));
      steps.push("second");
    },
  });
  assert.deepEqual(steps, ["first", "nested", "second"]);
});

Deno.test("every earlier test form ran, in registration order", () => {
  assert.deepEqual(ran, ["name-fn", "definition", "name-options-fn", "options-fn", "named-fn"]);
});
