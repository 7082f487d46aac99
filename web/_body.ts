/**
 * Bodies on their way in and out of the server. Internal.
 *
 * - {@linkcode DrivenBody}: the response stream the engine reads, filled by
 *   the request's green thread from the handler's stream — so the handler's
 *   producer runs in that thread (its green waits are the thread's, as an
 *   Eventlet WSGI iterator runs in the request's greenthread), and the engine
 *   cancelling the stream (client gone) reaches the thread.
 * - {@linkcode limitBody}: a request body that errors with
 *   {@linkcode PayloadTooLargeError} once it passes a byte limit.
 *
 * @module
 */
import { interruptible, suspend } from "../core/suspend.ts";

/**
 * Thrown by a request body read once it passes the server's `maxBodyBytes`;
 * a handler that lets it escape gets a 413 response.
 */
export class PayloadTooLargeError extends Error {
  /** The limit that was passed, in bytes. */
  readonly limit: number;
  /** Creates the error for a body over `limit` bytes. */
  constructor(limit: number, options?: ErrorOptions) {
    super(`Request body too large: over the limit of ${limit} bytes`, options);
    this.name = "PayloadTooLargeError";
    this.limit = limit;
  }
}

/** A response body stream fed by the request's green thread; see the module doc. */
export class DrivenBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** Body bytes handed to the engine so far. */
  bytes = 0;
  /** `true` once the engine cancelled the stream (the client went away). */
  cancelled = false;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #demand: ((value: void) => void) | undefined;

  /** `onCancel` runs (outside the thread) when the engine cancels the stream. */
  constructor(onCancel: (reason: unknown) => void) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      pull: () => {
        const demand = this.#demand;
        this.#demand = undefined;
        demand?.();
      },
      cancel: (reason) => {
        this.cancelled = true;
        onCancel(reason);
      },
    }, { highWaterMark: 1 });
  }

  /**
   * Copies `source` into the stream, in the current green thread, as fast as
   * the engine sends. Resolves when the source ends; rejects if the thread is
   * killed (the source is then cancelled) or the source fails (the response is
   * then aborted).
   */
  async pump(source: ReadableStream<Uint8Array>): Promise<void> {
    const reader = source.getReader();
    const controller = this.#controller;
    try {
      for (;;) {
        if (this.cancelled) break;
        if ((controller.desiredSize ?? 0) <= 0) {
          await suspend<void>((resolve) => {
            this.#demand = resolve;
            return () => void (this.#demand = undefined);
          }, "send response body");
          if (this.cancelled) break;
        }
        const next = await interruptible(reader.read(), "read response body");
        if (next.done) {
          controller.close();
          return;
        }
        const chunk = next.value;
        this.bytes += chunk.byteLength;
        controller.enqueue(chunk);
      }
      await reader.cancel(new Error("client went away")).catch(() => {});
    } catch (error) {
      if (!this.cancelled) {
        try {
          controller.error(error);
        } catch { /* already closed */ }
      }
      await reader.cancel(error).catch(() => {});
      throw error;
    } finally {
      reader.releaseLock();
    }
  }
}

/** Wraps `body` so that reading past `limit` bytes errors with {@linkcode PayloadTooLargeError}. */
export function limitBody(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new PayloadTooLargeError(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
}
