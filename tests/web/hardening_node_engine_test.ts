/** The hardening suite under Deno on the Node engine (node:http, ws): Deno's node compatibility. */
import { nodeBackends, useBackends } from "../../web/_backends.ts";
import { hardeningSuite } from "./_hardening_suite.ts";

hardeningSuite("node engine", async (fn) => {
  using _ = useBackends(nodeBackends);
  await fn();
});
