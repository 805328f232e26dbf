/**
 * Command-line parsing shared by the commands: node's `util.parseArgs` with its errors turned into
 * one-line usage errors, checked enumerations, the worker count, and the mapping from the paths a
 * user names to the scan root (the folder given; for one file its folder; for several paths their
 * common parent) plus the targets under it that the report is narrowed to.
 */

import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, relative, resolve, sep } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { plural } from "../report/summary.js";
import { VERSION } from "../version.js";
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
    return parseArgs({
      args: valuesStartingWithDash(args, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs explains how to pass a positional that starts with "-"; the first sentence is
    // the part that matters.
    const message = error instanceof Error ? error.message.split(/\.\s/)[0] : String(error);
    throw new CliError(`${command}: ${message}; see \`flaskguard ${command} --help\``);
  }
}

/**
 * A string option always takes the next word as its value, even one that starts with "-":
 * `--jobs -1` becomes `--jobs=-1`. Left alone, `parseArgs` refuses such a word as "ambiguous",
 * which tells the user nothing; given as the value, the option's own check says what it takes.
 */
function valuesStartingWithDash(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const next = args[i + 1];
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const name = arg.startsWith("--")
      ? arg.slice(2)
      : Object.keys(options).find((k) => arg === `-${options[k]?.short}`);
    if (name && options[name]?.type === "string" && next?.startsWith("-") && next !== "-") {
      out.push(`--${name}=${next}`);
      i++;
      continue;
    }
    out.push(arg);
  }

  return out;
}

/** One of `allowed` (all lower case), matched without regard to case: `--fail-on HIGH` is fine. */
export function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value.toLowerCase());
  if (found === undefined) {
    throw new CliError(`--${option} must be one of ${allowed.join(", ")}, got "${value}"`);
  }

  return found;
}

/**
 * The most parse workers worth starting: twice the cores this process may use (parsing waits on
 * the disk now and then), and never more than 16, past which workers only add memory.
 */
export function maxJobs(cores = availableParallelism()): number {
  return Math.max(1, Math.min(2 * cores, 16));
}

/**
 * The `--jobs` value: a whole number from 1 to `maxJobs()`. A larger number is lowered to the
 * maximum with a note, since more workers than that only cost memory; anything else is an error.
 */
export function jobsOption(
  value: string | undefined,
  note: (text: string) => void,
  cores = availableParallelism(),
): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const max = maxJobs(cores);
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n >= 1)) {
    throw new CliError(`--jobs takes a whole number from 1 to ${max}, got "${value}"`);
  }
  if (n > max) {
    note(
      `--jobs ${n} is more than this machine can use; using ${max} (twice its ${plural(cores, "core")}, at most 16)`,
    );
    return max;
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

/** Writes the command's help or the version when asked; true when it did (the command is done). */
export function answeredHelpOrVersion(
  values: { help?: boolean; version?: boolean },
  io: { stdout: { write(text: string): unknown } },
  help: string,
): boolean {
  if (values.help) {
    io.stdout.write(help);
    return true;
  }
  if (values.version) {
    io.stdout.write(`${VERSION}\n`);
    return true;
  }

  return false;
}
