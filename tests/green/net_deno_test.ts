/** The net conformance suite on the Deno backend. */
import { denoNet } from "../../green/_net_deno.ts";
import { netConformance, type TestFn, tlsConformance } from "./_net_suite.ts";

const test: TestFn = (name, fn, ignore = false) => Deno.test({ name, fn, ignore });
netConformance(test, denoNet);
tlsConformance(test, denoNet);
