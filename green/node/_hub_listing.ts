/**
 * The hub listing of the `node:` drop-ins' callback APIs: a `node:` socket or
 * child never suspends its caller, so there is no green wait to list; this
 * lists it by hand, under the calling thread's name, until it ends. Internal.
 *
 * @module
 */
import { currentCore } from "../../core/internal.ts";
import type { ListedWait } from "../../hubs/hub.ts";
import { getHub } from "../../hubs/mod.ts";

/** Lists `description` in the hub until the returned function is called (calling it again does nothing). */
export function listed(description: string): () => void {
  const hub = getHub();
  const info: ListedWait = {
    description,
    threadName: currentCore().name,
    since: hub.turnTime,
    stack: hub.waitStacks ? new Error("listed here").stack : undefined,
    hubPrev: undefined,
    hubNext: undefined,
  };
  hub.addWait(info);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    hub.removeWait(info);
  };
}
