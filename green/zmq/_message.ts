/**
 * Messages as callers give them (zeromq.js's `MessageLike`: a `Buffer` or any
 * `ArrayBufferView`, an `ArrayBuffer`, a string as UTF-8, a number as its
 * decimal text, `null` as an empty frame, or an array of these for a
 * multipart message) turned into frames. Internal.
 *
 * @module
 */
import { Buffer } from "node:buffer";

/** One frame as callers may give it. */
export type MessageLike = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string | number | null;

const EMPTY = Buffer.alloc(0);

function toFrame(part: unknown, what: string): Uint8Array {
  if (part instanceof Uint8Array) return part;
  if (typeof part === "string") return Buffer.from(part, "utf8");
  if (part === null) return EMPTY;
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
  if (part instanceof ArrayBuffer || part instanceof SharedArrayBuffer) return new Uint8Array(part);
  if (typeof part === "number") return Buffer.from(String(part), "utf8");
  throw new TypeError(
    `${what}: message must be a Buffer, Uint8Array, ArrayBuffer, string, number, null or an array of them`,
  );
}

/** The frames of `message`. */
export function toFrames(message: unknown, what: string): Uint8Array[] {
  if (!Array.isArray(message)) return [toFrame(message, what)];
  if (message.length === 0) throw new TypeError(`${what}: message must have at least one frame`);
  const frames = new Array<Uint8Array>(message.length);
  for (let i = 0; i < message.length; i++) frames[i] = toFrame(message[i], what);
  return frames;
}
