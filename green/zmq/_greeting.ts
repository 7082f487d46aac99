/**
 * The ZMTP 3.x greeting (RFC 23): 64 bytes each side sends first — signature
 * `0xFF`, 8 bytes of padding, `0x7F`; version major 3, minor 1; the security
 * mechanism as 20 bytes of ASCII, zero-padded; the as-server byte; 31 zero
 * bytes of filler. Internal.
 *
 * @module
 */
import { ZmqError } from "./zmq_error.ts";

/** The greeting's length. */
export const GREETING_SIZE = 64;

/** What a peer's greeting says. */
export interface Greeting {
  /** Major version (3 for ZMTP 3.x). */
  major: number;
  /** Minor version (0 or 1). */
  minor: number;
  /** The mechanism, e.g. `"NULL"`, `"PLAIN"`, `"CURVE"`. */
  mechanism: string;
  /** The as-server flag (PLAIN/CURVE roles; unused by NULL). */
  asServer: boolean;
}

/** Our greeting: ZMTP 3.1, mechanism NULL, as-server 0. */
export function encodeGreeting(): Uint8Array {
  const g = new Uint8Array(GREETING_SIZE);
  g[0] = 0xff;
  g[9] = 0x7f;
  g[10] = 3;
  g[11] = 1;
  g.set([0x4e, 0x55, 0x4c, 0x4c], 12); // "NULL"
  return g;
}

/**
 * Reads the signature (the first 10 bytes): throws unless it is ZMTP's, and
 * unless the major version that follows is 3 or more.
 */
export function checkSignature(bytes: Uint8Array): void {
  if (bytes[0] !== 0xff || (bytes[9]! & 1) !== 1) {
    throw new ZmqError("EPROTO", "ZMTP handshake failed: the peer did not send a ZMTP greeting signature");
  }
  if (bytes.length > 10 && bytes[10]! < 3) {
    throw new ZmqError("EPROTO", `ZMTP handshake failed: the peer speaks ZMTP ${bytes[10]}.x (evy needs 3.0 or later)`);
  }
}

/** Parses a whole 64-byte greeting (after {@linkcode checkSignature}). */
export function parseGreeting(bytes: Uint8Array): Greeting {
  checkSignature(bytes);
  let end = 12;
  while (end < 32 && bytes[end] !== 0) end++;
  const mechanism = String.fromCharCode(...bytes.subarray(12, end));
  return { major: bytes[10]!, minor: bytes[11]!, mechanism, asServer: bytes[32] === 1 };
}
