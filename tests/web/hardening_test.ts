/** The hardening suite on the runtime's own engine: Deno.serve under Deno, node:http under Node. */
import { hardeningSuite } from "./_hardening_suite.ts";

hardeningSuite("Deno" in globalThis ? "deno" : "node", (fn) => fn());
