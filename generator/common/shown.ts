// A path as atomik-gen shows it to the user: relative to the current folder ('.' for the folder itself).
import { relative } from 'node:path';

export function shownPath(path: string): string {
  return relative(process.cwd(), path) || '.';
}
