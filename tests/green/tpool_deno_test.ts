/** The tpool conformance suite on Deno's Web Worker backend. */
import { denoTpool } from "../../green/_tpool_deno.ts";
import { type TestFn, tpoolConformance } from "./_tpool_suite.ts";

const test: TestFn = (name, fn, ignore = false) => Deno.test({ name, fn, ignore });
tpoolConformance(test, denoTpool, { stopsSpinning: false, memoryLimit: false });
