/**
 * Endpoint strings: `tcp://host:port` (`*` as host binds every interface, `*`
 * or `0` as port takes a free one; IPv6 hosts in brackets) and `ipc://path`
 * (a Unix socket). Internal.
 *
 * @module
 */

/** A parsed endpoint. */
export type Endpoint =
  | { transport: "tcp"; hostname: string; port: number }
  | { transport: "ipc"; path: string };

/** Parses `endpoint` for `bind` (`bind: true`) or `connect`; throws a `TypeError` naming the argument. */
export function parseEndpoint(endpoint: unknown, what: string, bind: boolean): Endpoint {
  if (typeof endpoint !== "string") throw new TypeError(`${what}: endpoint must be a string, got ${typeof endpoint}`);
  const bad = (why: string) => new TypeError(`${what}: endpoint "${endpoint}" ${why}`);
  const sep = endpoint.indexOf("://");
  if (sep < 0) throw bad('is not "transport://address"');
  const transport = endpoint.slice(0, sep);
  const address = endpoint.slice(sep + 3);
  if (transport === "ipc") {
    if (address === "" || address === "*") throw bad("needs a path");
    return { transport: "ipc", path: address };
  }
  if (transport !== "tcp") throw bad(`uses transport "${transport}" (evy supports tcp and ipc)`);
  const colon = address.lastIndexOf(":");
  if (colon < 0) throw bad("needs a port");
  let host = address.slice(0, colon);
  const portText = address.slice(colon + 1);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host === "" || (host === "*" && !bind)) throw bad("needs a host");
  if (host === "*") host = "0.0.0.0";
  let port: number;
  if (portText === "*" && bind) port = 0;
  else {
    port = /^\d+$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 0 && port <= 65535) || (port === 0 && !bind)) throw bad("has no valid port");
  }
  return { transport: "tcp", hostname: host, port };
}

/** The endpoint string of a bound address. */
export function formatEndpoint(ep: Endpoint): string {
  if (ep.transport === "ipc") return `ipc://${ep.path}`;
  return `tcp://${ep.hostname.includes(":") ? `[${ep.hostname}]` : ep.hostname}:${ep.port}`;
}
