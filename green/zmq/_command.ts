/**
 * ZMTP 3.x commands (RFC 23): a command frame's body is the name's length
 * (1 byte), the name, then data. NULL's handshake is one READY each way,
 * carrying metadata properties (name length byte, name, 4-byte big-endian
 * value length, value); ERROR carries a reason; ZMTP 3.1 adds SUBSCRIBE and
 * CANCEL (3.0 peers send subscriptions as messages whose first byte is 1 or 0)
 * and PING/PONG. Internal.
 *
 * @module
 */
import { ZmqError } from "./zmq_error.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A decoded command. */
export interface Command {
  /** The command's name, e.g. `"READY"`. */
  name: string;
  /** The bytes after the name. */
  data: Uint8Array;
}

/** A command frame's body. */
export function encodeCommand(name: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(1 + name.length + data.length);
  body[0] = name.length;
  body.set(encoder.encode(name), 1);
  body.set(data, 1 + name.length);
  return body;
}

/** Splits a command frame's body. */
export function parseCommand(body: Uint8Array): Command {
  const len = body[0];
  if (len === undefined || len === 0 || body.length < 1 + len) {
    throw new ZmqError("EPROTO", "ZMTP: malformed command frame");
  }
  return { name: String.fromCharCode(...body.subarray(1, 1 + len)), data: body.subarray(1 + len) };
}

/** A READY command's body with the given metadata. */
export function encodeReady(properties: Readonly<Record<string, Uint8Array | string>>): Uint8Array {
  const parts: number[] = [];
  const values: Uint8Array[] = [];
  let size = 0;
  for (const [name, v] of Object.entries(properties)) {
    const value = typeof v === "string" ? encoder.encode(v) : v;
    size += 1 + name.length + 4 + value.length;
    parts.push(name.length);
    values.push(encoder.encode(name), value);
  }
  const data = new Uint8Array(size);
  const view = new DataView(data.buffer);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const name = values[2 * i]!;
    const value = values[2 * i + 1]!;
    data[at++] = name.length;
    data.set(name, at);
    at += name.length;
    view.setUint32(at, value.length);
    at += 4;
    data.set(value, at);
    at += value.length;
  }
  return encodeCommand("READY", data);
}

/** Parses metadata properties; names are lower-cased (they are case-insensitive). */
export function parseMetadata(data: Uint8Array): Map<string, Uint8Array> {
  const props = new Map<string, Uint8Array>();
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  let at = 0;
  while (at < data.length) {
    const nameLen = data[at++]!;
    if (nameLen === 0 || at + nameLen + 4 > data.length) throw new ZmqError("EPROTO", "ZMTP: malformed metadata");
    const name = String.fromCharCode(...data.subarray(at, at + nameLen)).toLowerCase();
    at += nameLen;
    const valueLen = view.getUint32(at);
    at += 4;
    if (at + valueLen > data.length) throw new ZmqError("EPROTO", "ZMTP: malformed metadata");
    props.set(name, data.subarray(at, at + valueLen));
    at += valueLen;
  }
  return props;
}

/** An ERROR command's body. */
export function encodeErrorCommand(reason: string): Uint8Array {
  const text = encoder.encode(reason).subarray(0, 255);
  const data = new Uint8Array(1 + text.length);
  data[0] = text.length;
  data.set(text, 1);
  return encodeCommand("ERROR", data);
}

/** An ERROR command's reason. */
export function parseErrorReason(data: Uint8Array): string {
  return decoder.decode(data.subarray(1, 1 + (data[0] ?? 0)));
}

/** Text of a metadata value. */
export function metadataText(value: Uint8Array | undefined): string {
  return value === undefined ? "" : decoder.decode(value);
}
