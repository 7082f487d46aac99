/** The process conformance suite on the Node backend (under Deno's `node:` compatibility, and under Node). */
import { nodeProcess } from "../../green/_process_node.ts";
import { processConformance } from "./_process_suite.ts";

processConformance((name, fn) => Deno.test(name, fn), nodeProcess);
