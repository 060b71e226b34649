// An environment as atomik-gen reads it (process.env fits): typed without Node's global namespace, so the package's
// typings compile in a project that has no @types/node.
export type Env = Readonly<Record<string, string | undefined>>;
