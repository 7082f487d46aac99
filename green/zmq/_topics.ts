/**
 * {@linkcode Topics}: a counted set of subscription prefixes, and the prefix
 * match PUB and SUB filter with (a message matches when its first frame
 * starts with one of them; the empty prefix matches all). Internal.
 *
 * @module
 */

/** Subscriptions, each counted (subscribing twice needs two unsubscribes, as in libzmq). */
export class Topics {
  #counts = new Map<string, { bytes: Uint8Array; count: number }>();
  #all = 0; // count of the empty prefix: the common case matches without a scan

  /** Adds one; true when the prefix is new. */
  add(topic: Uint8Array): boolean {
    if (topic.length === 0) return ++this.#all === 1;
    const key = keyOf(topic);
    const entry = this.#counts.get(key);
    if (entry !== undefined) {
      entry.count++;
      return false;
    }
    this.#counts.set(key, { bytes: topic.slice(), count: 1 });
    return true;
  }

  /** Removes one; true when the prefix is gone. */
  remove(topic: Uint8Array): boolean {
    if (topic.length === 0) {
      if (this.#all === 0) return false;
      return --this.#all === 0;
    }
    const key = keyOf(topic);
    const entry = this.#counts.get(key);
    if (entry === undefined) return false;
    if (--entry.count > 0) return false;
    this.#counts.delete(key);
    return true;
  }

  /** Each distinct prefix once. */
  *[Symbol.iterator](): IterableIterator<Uint8Array> {
    if (this.#all > 0) yield new Uint8Array(0);
    for (const { bytes } of this.#counts.values()) yield bytes;
  }

  /** Whether `frame` starts with one of the prefixes. */
  matches(frame: Uint8Array | undefined): boolean {
    if (this.#all > 0) return true;
    if (this.#counts.size === 0 || frame === undefined) return false;
    outer: for (const { bytes } of this.#counts.values()) {
      if (bytes.length > frame.length) continue;
      for (let i = 0; i < bytes.length; i++) if (bytes[i] !== frame[i]) continue outer;
      return true;
    }
    return false;
  }
}

function keyOf(topic: Uint8Array): string {
  let key = "";
  for (let i = 0; i < topic.length; i++) key += String.fromCharCode(topic[i]!);
  return key;
}

/** A subscription message (ZMTP 3.0 form): `1` or `0`, then the prefix. */
export function subscriptionMessage(subscribe: boolean, topic: Uint8Array): Uint8Array[] {
  const body = new Uint8Array(topic.length + 1);
  body[0] = subscribe ? 1 : 0;
  body.set(topic, 1);
  return [body];
}
