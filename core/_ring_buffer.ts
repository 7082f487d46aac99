/**
 * A growable ring buffer: O(1) push at the back and shift at the front, with
 * no re-allocation while the size stays under the capacity (an array's
 * `shift()` is O(n), and emptying it with `length = 0` frees its storage).
 * Internal: the storage of `LightQueue`.
 *
 * @module
 */

/** A FIFO of `T` in a power-of-two ring that doubles when full. */
export class RingBuffer<T> {
  #ring: (T | undefined)[] = [];
  #head = 0;
  #count = 0;

  /** The number of items held. */
  get length(): number {
    return this.#count;
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    let ring = this.#ring;
    const capacity = ring.length;
    if (this.#count === capacity) {
      const grown = new Array<T | undefined>(capacity === 0 ? 16 : capacity * 2);
      for (let i = 0; i < capacity; i++) grown[i] = ring[(this.#head + i) & (capacity - 1)];
      this.#ring = ring = grown;
      this.#head = 0;
    }
    ring[(this.#head + this.#count++) & (ring.length - 1)] = item;
  }

  /** Removes and returns the front item; call only when `length > 0`. */
  shift(): T {
    const ring = this.#ring;
    const head = this.#head;
    const item = ring[head] as T;
    ring[head] = undefined;
    this.#head = (head + 1) & (ring.length - 1);
    this.#count--;
    return item;
  }
}
