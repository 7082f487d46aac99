/** The net conformance suite on the Node backend, under Deno's `node:` compatibility. */
import { nodeNet } from "../../green/_net_node.ts";
import { netConformance, type TestFn, tlsConformance } from "./_net_suite.ts";

const test: TestFn = (name, fn, ignore = false) => Deno.test({ name, fn, ignore });
netConformance(test, nodeNet);
tlsConformance(test, nodeNet);
