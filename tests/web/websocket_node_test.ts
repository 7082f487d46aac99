import { nodeBackends } from "../../web/_backends.ts";
import { websocketSuite } from "./_websocket_suite.ts";

websocketSuite("node", nodeBackends);
