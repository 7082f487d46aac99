/**
 * Drop-in for `node:dns/promises`: every lookup is a green wait (listed by
 * the hub as `dns.resolve4(example.com)`, interrupted by kill and Timeout;
 * an interrupted module-level query is abandoned, its answer dropped). The
 * green `Resolver` also cancels its outstanding queries when interrupted.
 * The import-map generator and the preload's module hooks substitute this
 * module for `node:dns/promises`.
 *
 * @example
 * ```ts
 * import { lookup } from "@evy/evy/green/node/dns-promises";
 * import assert from "node:assert/strict";
 *
 * const { address } = await lookup("127.0.0.1");
 * assert.equal(address, "127.0.0.1");
 * ```
 *
 * @module
 */
import * as real from "node:dns/promises";
import { greenAwait } from "../_green_io.ts";

// deno-lint-ignore no-explicit-any
type AsyncFn = (...args: any[]) => Promise<any>;

function green<F extends AsyncFn>(name: string, fn: F, onCancel?: () => void): F {
  return ((...args: unknown[]) => greenAwait(fn(...args), `dns.${name}(${String(args[0])})`, onCancel)) as F;
}

/** Green `dns.lookup`. */
export const lookup: typeof real.lookup = green("lookup", real.lookup);
/** Green `dns.lookupService`. */
export const lookupService: typeof real.lookupService = green("lookupService", real.lookupService);
/** Green `dns.resolve`. */
export const resolve: typeof real.resolve = green("resolve", real.resolve);
/** Green `dns.resolve4`. */
export const resolve4: typeof real.resolve4 = green("resolve4", real.resolve4);
/** Green `dns.resolve6`. */
export const resolve6: typeof real.resolve6 = green("resolve6", real.resolve6);
/** Green `dns.resolveAny`. */
export const resolveAny: typeof real.resolveAny = green("resolveAny", real.resolveAny);
/** Green `dns.resolveCaa`. */
export const resolveCaa: typeof real.resolveCaa = green("resolveCaa", real.resolveCaa);
/** Green `dns.resolveCname`. */
export const resolveCname: typeof real.resolveCname = green("resolveCname", real.resolveCname);
/** Green `dns.resolveMx`. */
export const resolveMx: typeof real.resolveMx = green("resolveMx", real.resolveMx);
/** Green `dns.resolveNaptr`. */
export const resolveNaptr: typeof real.resolveNaptr = green("resolveNaptr", real.resolveNaptr);
/** Green `dns.resolveNs`. */
export const resolveNs: typeof real.resolveNs = green("resolveNs", real.resolveNs);
/** Green `dns.resolvePtr`. */
export const resolvePtr: typeof real.resolvePtr = green("resolvePtr", real.resolvePtr);
/** Green `dns.resolveSoa`. */
export const resolveSoa: typeof real.resolveSoa = green("resolveSoa", real.resolveSoa);
/** Green `dns.resolveSrv`. */
export const resolveSrv: typeof real.resolveSrv = green("resolveSrv", real.resolveSrv);
/** Green `dns.resolveTxt`. */
export const resolveTxt: typeof real.resolveTxt = green("resolveTxt", real.resolveTxt);
/** Green `dns.reverse`. */
export const reverse: typeof real.reverse = green("reverse", real.reverse);
/** `dns.getServers` (synchronous: the runtime's). */
export const getServers: typeof real.getServers = real.getServers;
/** `dns.setServers` (synchronous: the runtime's). */
export const setServers: typeof real.setServers = real.setServers;

const RESOLVER_METHODS = [
  "resolve",
  "resolve4",
  "resolve6",
  "resolveAny",
  "resolveCaa",
  "resolveCname",
  "resolveMx",
  "resolveNaptr",
  "resolveNs",
  "resolvePtr",
  "resolveSoa",
  "resolveSrv",
  "resolveTxt",
  "reverse",
] as const;

/** Green `dns.Resolver`: queries are green waits; an interrupted one cancels the resolver's queries. */
export class Resolver extends real.Resolver {
  /** Creates a resolver (options as Node's). */
  constructor(options?: ConstructorParameters<typeof real.Resolver>[0]) {
    super(options);
    const self = this as unknown as Record<string, AsyncFn>;
    for (const name of RESOLVER_METHODS) {
      const method = self[name];
      if (typeof method === "function") self[name] = green(name, method.bind(this), () => this.cancel());
    }
  }
}

/** The module as a default export, as a default import of the dns promises module expects. */
const dnsPromises: typeof real & { Resolver: typeof Resolver } = {
  ...real,
  lookup,
  lookupService,
  resolve,
  resolve4,
  resolve6,
  resolveAny,
  resolveCaa,
  resolveCname,
  resolveMx,
  resolveNaptr,
  resolveNs,
  resolvePtr,
  resolveSoa,
  resolveSrv,
  resolveTxt,
  reverse,
  Resolver,
};
export default dnsPromises;
