import { BaseHub } from "@evy/evy/hubs";
import { createNodeHost } from "@evy/evy/hubs/node";
import { runHubSuite } from "./_hub_suite.ts";

runHubSuite({ name: "node", makeHub: () => new BaseHub(createNodeHost()), drive: (_hub, p) => p });
