import { nodeBackends } from "../../web/_backends.ts";
import { serverSuite } from "./_server_suite.ts";

serverSuite("node", nodeBackends);
