/**
 * The ZeroMQ guide's weather update feed (wuserver + wuclient): a PUB socket
 * publishes "zipcode temperature humidity" updates for random zip codes; two
 * subscribers, each a green thread with a SUB socket filtering on its own zip
 * code, average five temperatures. The publisher keeps publishing until both
 * are done, which is also how the slow-joiner problem (subscriptions take a
 * moment to reach the publisher) solves itself.
 *
 *     deno run -A examples/zmq_pub_sub.ts
 *
 * @module
 */
import { sleep, spawn } from "@evy/evy";
import { Publisher, Subscriber } from "@evy/evy/green/zmq";

await using publisher = new Publisher();
await publisher.bind("tcp://127.0.0.1:*");
const endpoint = publisher.lastEndpoint!;

async function subscriber(zip: string): Promise<number> {
  await using sub = new Subscriber();
  sub.connect(endpoint);
  sub.subscribe(`${zip} `);
  let total = 0;
  for (let n = 0; n < 5; n++) {
    const [update] = await sub.receive();
    const [code, temperature] = update!.toString().split(" ");
    if (code !== zip) throw new Error(`subscriber ${zip} got an update for ${code}`);
    total += Number(temperature);
  }
  const average = total / 5;
  console.log(`Average temperature for zipcode '${zip}' was ${average.toFixed(1)}F`);
  return average;
}

const subscribers = [spawn(subscriber, "10001"), spawn(subscriber, "10002")];
let published = 0;
while (!subscribers.every((s) => s.dead)) {
  // Random zip codes, with the two watched ones among them now and then.
  const zip = published % 7 === 0
    ? "10001"
    : published % 7 === 3
    ? "10002"
    : String(10003 + Math.floor(Math.random() * 90000));
  const temperature = Math.floor(Math.random() * 215) - 80;
  const humidity = Math.floor(Math.random() * 50) + 10;
  await publisher.send(`${zip} ${temperature} ${humidity}`);
  published++;
  if (published % 100 === 0) await sleep(1);
}
for (const s of subscribers) await s.wait();
console.log(`published ${published} updates`);
