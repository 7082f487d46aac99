/**
 * {@linkcode ZmqError}: the error every ZeroMQ socket call rejects with, its
 * `code` libzmq's errno name, as zeromq.js gives it.
 *
 * @module
 */

/** The codes evy's ZeroMQ sockets use (libzmq's errno names). */
export type ZmqErrorCode =
  | "EAGAIN"
  | "EFSM"
  | "ENOTSUP"
  | "EHOSTUNREACH"
  | "EPROTO"
  | "EMSGSIZE"
  | "EBADF"
  | "ETERM"
  | "EINVAL"
  | "EADDRINUSE";

/**
 * A ZeroMQ socket error. `code` is libzmq's errno name, as zeromq.js gives it:
 * `"EAGAIN"` when `sendTimeout`/`receiveTimeout` pass, `"EFSM"` when a
 * REQ/REP socket is used out of its lock-step, `"EBADF"` when the socket is
 * closed (also for a receive it was blocked in), `"ENOTSUP"` for an operation
 * the socket type has not (`receive()` on a `Push`). Branch on `code`, or on
 * `name === "ZmqError"` across copies of evy.
 *
 * @example Timing out a receive
 * ```ts
 * import { Pull, ZmqError } from "@evy/evy/green/zmq";
 * import assert from "node:assert/strict";
 *
 * await using pull = new Pull({ receiveTimeout: 10 });
 * await assert.rejects(pull.receive(), (e) => e instanceof ZmqError && e.code === "EAGAIN");
 * ```
 */
export class ZmqError extends Error {
  /** libzmq's errno name. */
  readonly code: ZmqErrorCode;

  /**
   * Makes the error.
   *
   * @param code libzmq's errno name.
   * @param message What failed and why.
   * @param options The `cause`.
   */
  constructor(code: ZmqErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ZmqError";
    this.code = code;
  }
}
