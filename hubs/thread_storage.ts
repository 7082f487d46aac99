/**
 * The one `AsyncLocalStorage` that tells which green thread is running. It
 * lives below the hubs so that a hub can run its own turn outside any thread's
 * context (otherwise hub callbacks would inherit whichever thread queued the
 * turn), and so that every hub sees the same threads.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ThreadHandle } from "./hub.ts";

/** The running green thread; `undefined` means the implicit main thread. */
export const threadStorage: AsyncLocalStorage<ThreadHandle> = new AsyncLocalStorage();
