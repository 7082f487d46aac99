import assert from "node:assert/strict";
import { type Linked, LinkedList } from "@evy/evy/hubs/linked-list";

class Node implements Linked<Node> {
  prev: Node | undefined = undefined;
  next: Node | undefined = undefined;
  constructor(readonly n: number) {}
}

const names = (list: LinkedList<Node>): number[] => [...list].map((node) => node.n);

Deno.test("LinkedList: unlinking the head, the tail and the only node keeps head, tail and length right", () => {
  const list = new LinkedList<Node>();
  const nodes = [1, 2, 3, 4].map((n) => new Node(n));
  for (const node of nodes) list.push(node);
  list.unlink(nodes[0]!);
  assert.equal(list.head, nodes[1]);
  list.unlink(nodes[3]!);
  assert.equal(list.tail, nodes[2]);
  assert.deepEqual(names(list), [2, 3]);
  list.unlink(nodes[1]!);
  list.unlink(nodes[2]!);
  assert.equal(list.head, undefined);
  assert.equal(list.tail, undefined);
  assert.equal(list.length, 0);
  assert.deepEqual(names(list), []);
  for (const node of nodes) assert.equal(node.prev ?? node.next, undefined, "an unlinked node keeps no links");
});

Deno.test("LinkedList: a node unlinked while iterating is skipped safely, and can be pushed again at the tail", () => {
  const list = new LinkedList<Node>();
  const nodes = [1, 2, 3].map((n) => new Node(n));
  for (const node of nodes) list.push(node);
  const seen: number[] = [];
  for (const node of list) {
    seen.push(node.n);
    list.unlink(node);
  }
  assert.deepEqual(seen, [1, 2, 3]);
  assert.equal(list.length, 0);
  list.push(nodes[1]!);
  list.push(nodes[0]!);
  assert.deepEqual(names(list), [2, 1]);
});
