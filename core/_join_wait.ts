/**
 * A green wait for another thread's exit (`wait()`, and `kill()` once awaited):
 * it sits on the target's link list, so the target's exit settles it. Internal
 * to `_thread_core.ts`.
 *
 * @module
 */
import type { Hub } from "../hubs/hub.ts";
import { Wait, type WaitOwner } from "./_wait.ts";
import type { LinkEntry, ThreadCore } from "./_thread_core.ts";

/** The wait; `settleKill`: resolve however the target ended (what `kill()` waits for). */
export class JoinWait<T> extends Wait<T> implements LinkEntry {
  constructor(core: WaitOwner, hub: Hub, readonly target: ThreadCore, readonly settleKill: boolean) {
    super(core, hub, `wait(${target.name})`);
  }
  override run(): void {
    const target = this.target;
    if (this.settleKill || target.succeeded) this.resolve(target.result as T);
    else this.reject(target.result);
  }
  override dispose(): void {
    this.target.removeLink(this);
  }
}

/** The `arm` step of a join: link it to the target. */
export function armJoin<T>(wait: Wait<T>): void {
  const join = wait as JoinWait<T>;
  join.target.addLink(join);
}
