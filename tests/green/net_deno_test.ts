/** The net conformance suite on the Deno backend. */
import { denoNet } from "../../green/_net_deno.ts";
import { netConformance } from "./_net_suite.ts";

netConformance(Deno.test, denoNet);
