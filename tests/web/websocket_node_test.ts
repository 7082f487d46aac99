// evy:deno-only — the suite's clients use the global WebSocket (Node 22+, not Node 20) and Deno.serve. The Node
// engine (node:http + ws) is covered by running this suite on it under Deno (websocket_node_test.ts).
import { nodeBackends } from "../../web/_backends.ts";
import { websocketSuite } from "./_websocket_suite.ts";

websocketSuite("node", nodeBackends);
