/** The process conformance suite on the Deno backend. */
import { denoProcess } from "../../green/_process_deno.ts";
import { processConformance } from "./_process_suite.ts";

processConformance((name, fn) => Deno.test(name, fn), denoProcess);
