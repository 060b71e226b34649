// Errors a user can act on: what is wrong, where, and what to do. The CLI prints them as one line and exits non-zero.

export class AtomikError extends Error {
  /** Where the problem is: a flag (`--banks`), a config location (`atomik.config.ts:4:12`), a tool, a file. */
  readonly where: string | undefined;
  /** What to do about it. */
  readonly hint: string | undefined;

  constructor(message: string, opts: { where?: string; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AtomikError';
    this.where = opts.where;
    this.hint = opts.hint;
  }

  /** One line: `where: message (hint)`. */
  oneLine(): string {
    const at = this.where ? `${this.where}: ` : '';
    const hint = this.hint ? ` (${this.hint})` : '';
    return `${at}${this.message}${hint}`;
  }
}
