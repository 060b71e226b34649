// Where `atomik-gen setup` keeps the pinned Python EDA tools for this user: one folder per pinned set, so versions of
// different atomik-gen releases never mix. Tool discovery (tools.ts) and setup (toolchain.ts) both ask here.
//
//   $ATOMIK_TOOLCHAIN_DIR, when set, else ${XDG_CACHE_HOME:-~/.cache}/atomik-gen/toolchain-<first 12 hex of the sha256
//   of scripts/requirements-tools.txt>; the tools are in its venv/ (the same layout build.sh's ATOMIK_TOOLCHAIN reads).

import type { Env } from '../common/env.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../common/version.js';

/** The pinned Python tools, relative to the package root: the one list setup installs from. */
export const REQUIREMENTS_FILE = 'scripts/requirements-tools.txt';

/** The variable that names the toolchain folder instead of the per-user cache. */
export const TOOLCHAIN_DIR_VAR = 'ATOMIK_TOOLCHAIN_DIR';

export interface ToolchainLocation {
  /** The toolchain folder: it holds venv/, the setup logs and the setup lock. */
  readonly dir: string;
  /** The virtual environment the tools live in (`<dir>/venv`). */
  readonly venv: string;
  /** The requirements file the folder is keyed by. */
  readonly requirements: string;
  /** sha256 of the requirements file (hex). */
  readonly sha256: string;
  /** How the folder was chosen, for messages: "ATOMIK_TOOLCHAIN_DIR" or "per-user cache". */
  readonly origin: string;
}

const digests = new Map<string, string>();

/** sha256 of the requirements file of the package at `root` (read once per process). */
export function requirementsSha256(root: string = packageRoot()): string {
  const file = path.join(root, REQUIREMENTS_FILE);
  let digest = digests.get(file);
  if (digest === undefined) {
    digest = createHash('sha256').update(readFileSync(file)).digest('hex');
    digests.set(file, digest);
  }
  return digest;
}

/** The per-user cache root: $XDG_CACHE_HOME when it is an absolute path (as the XDG spec asks), else ~/.cache. */
export function userCacheHome(env: Env = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && path.isAbsolute(xdg)) return xdg;
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return path.join(home, '.cache');
}

/** The toolchain folder for `env` (ATOMIK_TOOLCHAIN_DIR, XDG_CACHE_HOME and HOME are read from it). */
export function toolchainLocation(env: Env = process.env, root: string = packageRoot()): ToolchainLocation {
  const requirements = path.join(root, REQUIREMENTS_FILE);
  const sha256 = requirementsSha256(root);
  const chosen = env[TOOLCHAIN_DIR_VAR];
  const fromVar = chosen !== undefined && chosen !== '';
  const dir = fromVar ? path.resolve(chosen) : path.join(userCacheHome(env), 'atomik-gen', `toolchain-${sha256.slice(0, 12)}`);
  return { dir, venv: path.join(dir, 'venv'), requirements, sha256, origin: fromVar ? TOOLCHAIN_DIR_VAR : 'per-user cache' };
}
