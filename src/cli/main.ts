#!/usr/bin/env node
/**
 * The `flaskguard` executable: hands the command line and the process's streams to the
 * dispatcher and sets the exit code (without `process.exit`, so buffered output is flushed).
 */

import { runCli } from "./run.js";

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
