/** The tpool conformance suite on the process-isolation backend (child processes), on Deno and, built, on Node. */
import { processTpool } from "../../green/_tpool_process_node.ts";
import { type TestFn, tpoolConformance } from "./_tpool_suite.ts";

const test: TestFn = (name, fn, ignore = false) => Deno.test({ name, fn, ignore });
tpoolConformance(test, processTpool, { stopsSpinning: true, memoryLimit: true });
