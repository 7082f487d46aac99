/** The tpool conformance suite on the node:worker_threads backend (the default), on Deno and, built, on Node. */
import process from "node:process";
import { nodeTpool } from "../../green/_tpool_node.ts";
import { type TestFn, tpoolConformance } from "./_tpool_suite.ts";

const test: TestFn = (name, fn, ignore = false) => Deno.test({ name, fn, ignore });
const onNode = !("Deno" in globalThis);
if (!onNode) {
  console.log(
    "tpool_node_test: spin cases run in tpool_exit_test.ts (terminate() cannot stop a spinning worker on Deno)",
  );
}
// Deno's node:worker_threads ignores resourceLimits; Node enforces them.
tpoolConformance(test, nodeTpool, {
  stopsSpinning: nodeTpool.stopsSpinning,
  memoryLimit: onNode && process.release.name === "node",
});
