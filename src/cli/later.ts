/**
 * Commands that are part of the product but not built yet (`poc`, `verify`, `demo`, `policy`):
 * they exist so scripts and help text can name them, and fail clearly with exit code 2.
 */

import { CliError, type CliIo } from "./io.js";

export const LATER_COMMANDS = {
  poc: "a proof-of-concept HTML page for a CSRF finding",
  verify: "browser-confirmed exploitation against a live app",
  demo: "the bundled app on an embedded DynamoDB",
  policy: "the least-privilege IAM policy the code needs",
} as const;

export function laterCommand(name: keyof typeof LATER_COMMANDS) {
  return async (_args: string[], _io: CliIo): Promise<number> => {
    throw new CliError(`${name}: not built yet (${LATER_COMMANDS[name]})`);
  };
}
