/**
 * What the commands need from the outside world, passed in rather than taken from `process`, so
 * tests run them in-process with captured streams, a chosen working folder and a stand-in scanner:
 * the output streams, environment and working folder (`CliIo`), and the scanner and rule list
 * (`CliDeps`). Also the error type for problems the user can fix.
 */

import type { Rule } from "../rules/types.js";
import type { ScanOptions, ScanResult } from "../scan.js";

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export interface CliDeps {
  scan: (options: ScanOptions) => Promise<ScanResult>;
  rules: readonly Rule[];
  /** Every rule id of the catalog, built or not: naming a planned rule is not a typo. */
  catalogIds: readonly string[];
}

/**
 * A problem the user can fix: a bad option, a missing path, an output file that cannot be
 * written. The run exits 2 with this one line and no stack trace.
 */
export class CliError extends Error {
  override name = "CliError";
}

/** Colour only for a terminal, and never when the user set NO_COLOR. */
export function useColor(stream: OutStream, env: CliIo["env"]): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}
