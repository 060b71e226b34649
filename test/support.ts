// Helpers shared by test files (not part of the package).
import { Writable } from 'node:stream';

/** A writable stream that keeps what is written to it. */
export function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}
