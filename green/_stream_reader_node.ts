/**
 * The reading half that the Node backends of green sockets and green pipes
 * share: a `node:stream` Readable (a `net.Socket`, a child's stdout) read in
 * paused mode, one read at a time, as the green reader's raw `read` contract
 * wants. End and error reach a waiting sink at once and every later read. Internal to green/.
 *
 * @module
 */
import type { Readable } from "node:stream";
import type { ReadSink } from "./_net_backend.ts";

/** A chunk as a `Uint8Array` view (Node hands out Buffers, or strings once an encoding is set). */
export function bytes(chunk: Uint8Array | string): Uint8Array {
  if (typeof chunk === "string") return new TextEncoder().encode(chunk);
  return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** One Readable's reading state: at most one waiting sink. */
export class StreamReader {
  #stream: Readable;
  #sink: ReadSink | undefined;
  #ended = false;
  #error: unknown;
  #what: string;

  /** Starts listening to `stream`; `what` names it in a made-up error ("socket", "pipe"). */
  constructor(stream: Readable, what: string) {
    this.#stream = stream;
    this.#what = what;
    stream.on("readable", this.#onReadable);
    stream.on("end", this.#onEnd);
    stream.on("close", this.#onEnd);
    stream.on("error", this.#onError);
  }

  /** The first error the stream reported, if any. */
  get error(): unknown {
    return this.#error;
  }

  #onReadable = (): void => {
    const sink = this.#sink;
    if (sink === undefined) return;
    const chunk = this.#stream.read() as Uint8Array | null;
    if (chunk !== null) {
      this.#sink = undefined;
      sink.readDone(bytes(chunk));
    }
  };
  #onEnd = (): void => {
    this.#ended = true;
    const sink = this.#sink;
    this.#sink = undefined;
    sink?.readDone(null);
  };
  #onError = (error: unknown): void => {
    this.#error ??= error;
    const sink = this.#sink;
    this.#sink = undefined;
    sink?.readDone(null, error ?? new Error(`${this.#what} error`));
  };

  /** Calls `sink.readDone` with the next chunk, `null` at the end, or `null` and the error. */
  read(sink: ReadSink): void {
    const chunk = this.#stream.read() as Uint8Array | null;
    if (chunk !== null) return sink.readDone(bytes(chunk));
    if (this.#error !== undefined) return sink.readDone(null, this.#error);
    if (this.#ended || this.#stream.readableEnded) return sink.readDone(null);
    this.#sink = sink;
  }
}
