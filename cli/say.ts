// Console output of the commands: one line on stdout.
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
