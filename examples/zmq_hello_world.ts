/**
 * The ZeroMQ guide's "Hello World" request/reply (hwserver + hwclient), as one
 * evy program: the server is a green thread with a REP socket, the client a
 * REQ socket sending ten requests, each answered in turn.
 *
 *     deno run -A examples/zmq_hello_world.ts
 *
 * @module
 */
import { sleep, spawn } from "@evy/evy";
import { Reply, Request } from "@evy/evy/green/zmq";

await using responder = new Reply();
await responder.bind("tcp://127.0.0.1:*");
console.log(`server bound to ${responder.lastEndpoint}`);

const server = spawn(async () => {
  for await (const [request] of responder) {
    console.log(`Received request: [ ${request} ]`);
    await sleep(1); // do some 'work'
    await responder.send("World");
  }
});

await using requester = new Request();
requester.connect(responder.lastEndpoint!);
for (let n = 0; n < 10; n++) {
  console.log(`Sending Hello ${n}...`);
  await requester.send("Hello");
  const [reply] = await requester.receive();
  console.log(`Received reply ${n} [ ${reply} ]`);
}
responder.close(); // ends the server's loop
await server.wait();
