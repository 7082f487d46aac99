/**
 * Ending a connection whose query was interrupted: cancel the statement on
 * the server first (closing the socket alone leaves PostgreSQL and MariaDB
 * running it), then close. It runs in a green thread of its own so that the
 * interrupted caller is released at once and the caller's Timeouts never
 * reach it. Internal to db/.
 *
 * @module
 */
import { spawn } from "../core/green_thread.ts";
import { interruptible } from "../core/suspend.ts";
import { Timeout } from "../core/timeout.ts";
import type { Driver } from "./driver.ts";

/** How long the server may take to accept a cancel before the connection is closed anyway. */
const CANCEL_MS = 5_000;

/** Cancels what runs on `raw`, then closes it; resolves when both are done, never rejects. */
export function abortConnection<P, R>(driver: Driver<P, R>, raw: R, params: P): Promise<void> {
  const thread = spawn(async function cancelQuery(): Promise<void> {
    try {
      using _deadline = new Timeout(CANCEL_MS);
      await interruptible(driver.cancel(raw, params), `${driver.name} cancel`);
    } catch {
      // Closing below ends the session, which ends the statement at the latest.
    }
    await interruptible(driver.close(raw), `${driver.name} close`);
  });
  return thread.wait().catch(() => {});
}
