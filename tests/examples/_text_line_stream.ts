/** Splits a text stream into lines (std's TextLineStream is not reachable here). */
export class TextLineStream extends TransformStream<string, string> {
  constructor() {
    let rest = "";
    super({
      transform(chunk, controller) {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop()!;
        for (const part of parts) controller.enqueue(part.replace(/\r$/, ""));
      },
      flush(controller) {
        if (rest.length > 0) controller.enqueue(rest);
      },
    });
  }
}
