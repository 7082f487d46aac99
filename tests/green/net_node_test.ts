/** The net conformance suite on the Node backend, under Deno's `node:` compatibility. */
import { nodeNet } from "../../green/_net_node.ts";
import { netConformance } from "./_net_suite.ts";

netConformance(Deno.test, nodeNet);
