/**
 * Argument checks of the tpool API: what `execute`/`proxy` were given, as a
 * {@linkcode Job} for the worker, with a `TypeError` naming the argument at
 * the call for anything else.
 *
 * @module
 */
import type { Job } from "./_tpool_protocol.ts";

const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;

/** The job that ships `fn` by its source. */
export function functionJob(fn: unknown, api: string): Job {
  if (typeof fn !== "function") {
    throw new TypeError(`${api}: fn must be a function, or a module URL followed by an export name`);
  }
  const source = Function.prototype.toString.call(fn);
  const name = fn.name === "" ? "fn" : fn.name;
  if (NATIVE.test(source)) {
    throw new TypeError(
      `${api}: ${name} is a native or bound function, which cannot be shipped by its source; ` +
        `pass a self-contained function, or a module URL and export name`,
    );
  }
  if (/^class\b/.test(source)) throw new TypeError(`${api}: ${name} is a class, not a function`);
  return { kind: "fn", source };
}

/** The `href` of a module URL argument: a `URL` or an absolute URL string. */
export function moduleHref(moduleUrl: unknown, api: string): string {
  if (moduleUrl instanceof URL) return moduleUrl.href;
  if (typeof moduleUrl === "string") {
    try {
      return new URL(moduleUrl).href;
    } catch {
      // fall through to the error
    }
  }
  throw new TypeError(
    `${api}: moduleUrl must be a URL or an absolute URL string (new URL("./mod.ts", import.meta.url)), got ${
      typeof moduleUrl === "string" ? JSON.stringify(moduleUrl) : typeof moduleUrl
    }`,
  );
}

/** The job that runs export `exportName` of `moduleUrl`. */
export function exportJob(moduleUrl: unknown, exportName: unknown, api: string): Job {
  const url = moduleHref(moduleUrl, api);
  if (typeof exportName !== "string" || exportName === "") {
    throw new TypeError(`${api}: exportName must be a non-empty string`);
  }
  return { kind: "export", url, name: exportName };
}

/** A short description of a call for hub listings and errors: `tpool(fib)`, `tpool(mod.ts#fib)`. */
export function describeJob(job: Job, fn?: unknown): string {
  if (job.kind === "export") return `tpool(${job.url.slice(job.url.lastIndexOf("/") + 1)}#${job.name})`;
  const name = typeof fn === "function" ? fn.name : "";
  return `tpool(${name === "" ? "fn" : name})`;
}

/** The caller's `TypeError` for arguments that cannot be cloned. */
export function cloneError(error: unknown): TypeError {
  const why = error instanceof Error ? error.message : String(error);
  return new TypeError(`tpool: the arguments cannot be cloned to a worker: ${why}`, { cause: error });
}

/** Throws the caller's `TypeError` when `args` cannot be structured-cloned (primitives skip the trial clone). */
export function checkCloneable(args: unknown[]): void {
  for (const arg of args) {
    const type = typeof arg;
    if (type === "object" || type === "function" || type === "symbol") {
      try {
        structuredClone(args);
      } catch (error) {
        throw cloneError(error);
      }
      return;
    }
  }
}
