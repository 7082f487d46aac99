/**
 * Opening one connection for the pool: the driver's connect as a green wait
 * under `connectTimeoutMs` (a Timeout whose error is {@linkcode ConnectTimeout}),
 * aborted when that Timeout, another Timeout or a kill interrupts it; a
 * connection that completes after the wait gave up is closed, never leaked.
 * Internal to db/.
 *
 * @module
 */
import { suspend } from "../core/internal.ts";
import { Timeout } from "../core/timeout.ts";
import type { Driver } from "./driver.ts";
import { ConnectError, ConnectTimeout } from "./errors.ts";

/** Opens a connection; `late(closing)` is told of the close of one that arrived too late. */
export async function openConnection<P, R>(
  driver: Driver<P, R>,
  params: P,
  timeoutMs: number,
  late: (closing: Promise<void>) => void,
): Promise<R> {
  const where = driver.describe(params);
  using _limit = new Timeout(Number.isFinite(timeoutMs) ? timeoutMs : null, new ConnectTimeout(where, timeoutMs));
  const abort = new AbortController();
  let attempt: Promise<R>;
  try {
    attempt = driver.connect(params, abort.signal);
  } catch (error) {
    throw new ConnectError(where, error);
  }
  return await suspend<R>((resolve, reject) => {
    let waiting = true;
    attempt.then((raw) => {
      if (waiting) resolve(raw);
      else late(driver.close(raw).catch(() => {}));
    }, (error) => {
      if (waiting) reject(new ConnectError(where, error));
    });
    return () => {
      waiting = false;
      abort.abort();
    };
  }, `connect(${where})`);
}
