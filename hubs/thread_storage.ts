/**
 * What tells which green thread is running: one store, read through `await`.
 * It lives below the hubs so that a hub can run its own turn outside any
 * thread's context (otherwise hub callbacks would inherit whichever thread
 * queued the turn), and so that every hub sees the same threads.
 *
 * Two backends with one behaviour, `AsyncLocalStorage`'s (`run`, `getStore`,
 * `exit`):
 *
 * - **Deno** (when the runtime exposes its async-context slot, as Deno 2.9
 *   does): the running thread is kept in the *async context* itself, the
 *   per-continuation slot V8 carries across `await` and into promise reactions
 *   (`getContinuationPreservedEmbedderData`), which Deno's own
 *   `AsyncLocalStorage` is built on. A thread started where no other
 *   `AsyncLocalStorage` holds a value is its own context object; where one
 *   does, the thread runs in a copy of that context with the thread added, in
 *   Deno's own layout, so the caller's stores stay readable in the thread and a
 *   store `run` inside the thread keeps the thread.
 *   Trade: `AsyncLocalStorage.run` makes, per call, a copied context object in
 *   dictionary mode, an entry object and a `WeakMap` entry (about 380 B of heap
 *   and 1.5 µs on Deno 2.9.6); this backend makes nothing in the common case,
 *   for one symbol-keyed field on each thread (`threadKey`). It relies on the
 *   runtime's internal `core.getAsyncContext`/`setAsyncContext`; a Deno without
 *   them gets the second backend.
 * - **Elsewhere** (Node): an `AsyncLocalStorage` from `node:async_hooks`.
 *
 * On both, a thread sees the other stores' values of the context it is
 * started from, as with `AsyncLocalStorage.run`: that is the hub's turn, which
 * runs in the context that queued it (often, not always, the spawner's), so a
 * program that needs a value in a thread passes it as an argument.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ThreadHandle } from "./hub.ts";

/**
 * The key under which a context holds its thread. A thread object that holds
 * itself under it (`thread[threadKey] === thread`, as `ThreadCore` does) can
 * serve as a context of its own.
 */
export const threadKey: unique symbol = Symbol("evy.thread");

/** The store of the running thread, with `AsyncLocalStorage`'s three calls. */
export interface ThreadStorage {
  /** Calls `fn(...args)` with `thread` as the running thread, through every `await` inside it. */
  run<A extends unknown[], R>(thread: ThreadHandle, fn: (...args: A) => R, ...args: A): R;
  /** The running thread; `undefined` means the implicit main thread (or a hub turn). */
  getStore(): ThreadHandle | undefined;
  /** Calls `fn()` with no running thread (other stores' values kept). */
  exit<R>(fn: () => R): R;
}

/** A context: Deno's layout (each store's entry under its own key), plus the thread under `threadKey`. */
type Frame = { readonly [threadKey]?: unknown };

interface AsyncContextSlot {
  getAsyncContext(): unknown;
  setAsyncContext(value: unknown): void;
}

function denoContextSlot(): AsyncContextSlot | undefined {
  const deno = (globalThis as { Deno?: { internal?: symbol } & Record<symbol, unknown> }).Deno;
  if (deno === undefined || typeof deno.internal !== "symbol") return undefined;
  const core = (deno[deno.internal] as { core?: Partial<AsyncContextSlot> } | undefined)?.core;
  if (typeof core?.getAsyncContext !== "function" || typeof core.setAsyncContext !== "function") return undefined;
  return core as AsyncContextSlot;
}

/** The Deno backend: the thread in the async-context slot (see the module comment). */
class SlotThreadStorage implements ThreadStorage {
  readonly #get: () => unknown;
  readonly #set: (value: unknown) => void;

  constructor(slot: AsyncContextSlot) {
    this.#get = slot.getAsyncContext;
    this.#set = slot.setAsyncContext;
  }

  run<A extends unknown[], R>(thread: ThreadHandle, fn: (...args: A) => R, ...args: A): R {
    const previous = this.#get() as Frame | undefined;
    let frame: unknown = thread;
    // A context that is a thread alone (or none) holds no other store: the thread can be the context itself.
    if (
      (thread as Frame)[threadKey] !== thread ||
      (previous != null && previous[threadKey] !== previous)
    ) frame = { __proto__: null, ...previous, [threadKey]: thread };
    this.#set(frame);
    try {
      return fn(...args);
    } finally {
      this.#set(previous);
    }
  }

  getStore(): ThreadHandle | undefined {
    return (this.#get() as Frame | undefined)?.[threadKey] as ThreadHandle | undefined;
  }

  exit<R>(fn: () => R): R {
    const previous = this.#get() as Frame | undefined;
    const thread = previous?.[threadKey];
    if (thread === undefined) return fn();
    this.#set(thread === previous ? undefined : { __proto__: null, ...previous, [threadKey]: undefined });
    try {
      return fn();
    } finally {
      this.#set(previous);
    }
  }
}

function makeThreadStorage(): ThreadStorage {
  const slot = denoContextSlot();
  return slot === undefined ? new AsyncLocalStorage<ThreadHandle>() : new SlotThreadStorage(slot);
}

/** The running green thread; `undefined` means the implicit main thread. */
export const threadStorage: ThreadStorage = makeThreadStorage();
