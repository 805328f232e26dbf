/**
 * Command-line parsing shared by the commands: node's `util.parseArgs` with its errors turned into
 * one-line usage errors, checked enumerations, and the mapping from the paths a user names to the
 * scan root (the folder given; for one file its folder; for several paths their common parent)
 * plus the targets under it that the report is narrowed to.
 */

import { statSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliError } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  debug: { type: "boolean" },
} as const;

export function parseCommand<T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs explains how to pass a positional that starts with "-"; the first sentence is
    // the part that matters.
    const message = error instanceof Error ? error.message.split(/\.\s/)[0] : String(error);
    throw new CliError(`${command}: ${message}; see \`flaskguard ${command} --help\``);
  }
}

export function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new CliError(`--${option} must be one of ${allowed.join(", ")}, got "${value}"`);
  }

  return value as T;
}

export function positiveInt(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new CliError(`--${option} must be a whole number of at least 1, got "${value}"`);
  }

  return n;
}

export interface ScanTargets {
  /** Absolute folder every reported path is relative to. */
  root: string;
  /** The named paths relative to the root, with `/`; "" when a path is the root itself. */
  targets: string[];
}

export function resolveTargets(paths: readonly string[], cwd: string): ScanTargets {
  const given = (paths.length > 0 ? paths : ["."]).map((p) => {
    const abs = resolve(cwd, p);
    try {
      return { abs, isDir: statSync(abs).isDirectory() };
    } catch {
      throw new CliError(`path not found: ${p}`);
    }
  });
  const folders = given.map((g) => (g.isDir ? g.abs : dirname(g.abs)));
  const root = folders.reduce(commonFolder);

  return { root, targets: given.map((g) => relative(root, g.abs).split(sep).join("/")) };
}

function commonFolder(a: string, b: string): string {
  let folder = a;
  while (relative(folder, b).split(sep)[0] === "..") {
    folder = dirname(folder);
  }

  return folder;
}
