import { BaseHub } from "@evy/evy/hubs";
import { createDenoHost } from "@evy/evy/hubs/deno";
import { runHubSuite } from "./_hub_suite.ts";

runHubSuite({ name: "deno", makeHub: () => new BaseHub(createDenoHost()), drive: (_hub, p) => p });
