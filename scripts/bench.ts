/**
 * The speed and memory benchmark of DESIGN.md §6, measured side by side in one run on one tree
 * (by default the Python standard library, site-packages excluded):
 *
 *   npm run bench                         # stdlib, 5 rounds, Bandit if on PATH, 1M-line check
 *   npm run bench -- /path/to/tree        # another tree
 *   npm run bench -- --rounds 3 --jobs 2 --lines 0 --no-bandit
 *
 * Options: --rounds N (alternating parse-only / full-scan rounds, default 5; the best of each is
 * compared, which filters out other load on a shared machine), --jobs N (worker threads; default
 * as in a scan), --lines N (also scan a copy of the tree grown past N lines, default 1000000, 0 to
 * skip), --no-bandit, --bandit-timeout SECONDS (default 900). Bandit is installed with
 * `apt-get install -y bandit`; it runs on the same tree with site-packages excluded.
 *
 * It prints files, lines, parse-only time (discover plus the same worker pool parsing without
 * analysis), full-scan time (`scan()` of src/scan.ts), their ratio, lines per second, peak
 * memory (the process's resident set, which includes the worker threads), Bandit's time and the
 * speed-up, and a verdict line per target. Nothing here asserts: the numbers are for people.
 */

import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { discover } from "../src/discover/index.js";
import { defaultJobs, parseFiles } from "../src/parse/index.js";
import type { SourceFile } from "../src/parse/types.js";
import { scan } from "../src/scan.js";

interface Options {
  tree: string | null;
  rounds: number;
  jobs: number | undefined;
  lines: number;
  bandit: boolean;
  banditTimeoutS: number;
}

interface Measurement {
  ms: number;
  /** CPU time of every thread of the process (main and workers), user plus system. */
  cpuMs: number;
  /** Highest resident set size sampled while it ran, in bytes. */
  peakRss: number;
}

const MiB = 1024 * 1024;
const out = (line = "") => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const tree = options.tree ? resolve(options.tree) : standardLibrary();
  const files = discover(tree).files;
  const python = files.filter((f) => f.kind === "python");
  const jobs = options.jobs ?? defaultJobs(python);
  const largest = python.reduce((max, f) => Math.max(max, f.size), 0);

  out(`flaskguard benchmark on ${tree}`);
  out(`cores ${availableParallelism()}, worker threads ${jobs}, rounds ${options.rounds}`);
  warmFileCache(python);

  const parseRuns: Measurement[] = [];
  const scanRuns: Measurement[] = [];
  let stats = { files: 0, lines: 0, errors: 0 };
  let unparsable = new Set<string>();
  for (let round = 0; round < options.rounds; round++) {
    // Alternate the order so drift in machine load does not favour one side.
    const order = round % 2 === 0 ? ["parse", "scan"] : ["scan", "parse"];
    for (const which of order) {
      if (which === "parse") {
        const run = await measure(() => parseOnly(tree, options.jobs));
        parseRuns.push(run);
        unparsable = new Set(run.value.errors.map((e) => e.file));
      } else {
        const run = await measure(() => scan({ root: tree, jobs: options.jobs }));
        scanRuns.push(run);
        const report = run.value.report;
        stats = {
          files: report.stats.files,
          lines: report.stats.lines,
          errors: report.errors.length,
        };
      }
      const last = which === "parse" ? parseRuns.at(-1)! : scanRuns.at(-1)!;
      out(
        `  round ${round + 1} ${which.padEnd(5)} ${seconds(last.ms)}  CPU ${seconds(last.cpuMs)}  peak RSS ${mib(last.peakRss)}`,
      );
    }
  }

  const parseBest = best(parseRuns);
  const scanBest = best(scanRuns);
  const ratio = scanBest.ms / parseBest.ms;
  out();
  out(`files             ${stats.files} Python (${stats.errors} unreadable or with syntax errors)`);
  out(`lines             ${stats.lines}`);
  out(`largest file      ${(largest / 1024).toFixed(0)} KiB`);
  out(
    `parse-only        ${seconds(parseBest.ms)} (best of ${parseRuns.length}; median ${seconds(median(parseRuns))})`,
  );
  out(
    `full scan         ${seconds(scanBest.ms)} (best of ${scanRuns.length}; median ${seconds(median(scanRuns))})`,
  );
  const leastCpu = (runs: Measurement[]) => Math.min(...runs.map((r) => r.cpuMs));
  const cpuRatio = leastCpu(scanRuns) / leastCpu(parseRuns);
  out(`scan / parse      ${ratio.toFixed(2)}x wall time, ${cpuRatio.toFixed(2)}x CPU time`);
  out(`lines per second  ${Math.round(stats.lines / (scanBest.ms / 1000))}`);
  const scanPeak = Math.max(...scanRuns.map((r) => r.peakRss));
  out(`peak RSS          ${mib(scanPeak)} during scans; process maxRSS ${mib(maxRss())}`);

  const bandit = options.bandit ? await runBandit(tree, options.banditTimeoutS) : null;
  if (bandit?.ms !== undefined) {
    out(
      `bandit            ${seconds(bandit.ms)} (speed-up ${(bandit.ms / scanBest.ms).toFixed(1)}x)`,
    );
  } else {
    out(`bandit            not run: ${bandit?.reason ?? "--no-bandit"}`);
  }

  const million =
    options.lines > 0
      ? await grownTreeScan(
          python.filter((f) => !unparsable.has(f.path)),
          options,
        )
      : null;
  if (million) {
    out(
      `${million.lines} lines  scan ${seconds(million.ms)} on ${jobs} worker threads, peak RSS ${mib(million.peakRss)}`,
    );
  }

  out();
  verdict("scan within 1.5x of parse-only", ratio <= 1.5, `${ratio.toFixed(2)}x`);
  if (bandit?.ms !== undefined) {
    const speedUp = bandit.ms / scanBest.ms;
    verdict("at least 10x faster than Bandit", speedUp >= 10, `${speedUp.toFixed(1)}x`);
  } else {
    out("NOT MEASURED  at least 10x faster than Bandit (bandit not run)");
  }
  if (million) {
    const note = `${seconds(million.ms)} for ${million.lines} lines on ${availableParallelism()} cores`;
    verdict("1 million lines under 15 s", million.ms < 15_000, note);
  } else {
    out("NOT MEASURED  1 million lines under 15 s (run with --lines 1000000)");
  }
  const peak = Math.max(scanPeak, million?.peakRss ?? 0);
  verdict("peak memory under 1 GiB", peak < 1024 * MiB, mib(peak));
  if (million) {
    // The grown tree has the same largest file and more of everything else: with memory bounded
    // by the largest file, its peak stays close to the original tree's.
    const growth = million.peakRss / scanPeak;
    verdict(
      "memory grows with the largest file, not the repository",
      growth < 1 + 0.5 * (million.lines / stats.lines - 1),
      `peak ${mib(scanPeak)} → ${mib(million.peakRss)} for ${(million.lines / stats.lines).toFixed(2)}x the lines`,
    );
  }
}

/** What the benchmark calls parse-only: discover, then the pool parsing without analysis. */
async function parseOnly(tree: string, jobs: number | undefined) {
  const files = discover(tree).files;

  return parseFiles(files, { jobs, mode: "parse-only" });
}

/** Runs `work`, timing it and sampling the resident set size every 20 ms. */
async function measure<T>(work: () => Promise<T>): Promise<Measurement & { value: T }> {
  (globalThis as { gc?: () => void }).gc?.();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  try {
    const value = await work();
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());

    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRss, value };
  } finally {
    clearInterval(sampler);
  }
}

async function runBandit(
  tree: string,
  timeoutS: number,
): Promise<{ ms?: number; reason?: string }> {
  if (spawnSync("bandit", ["--version"], { stdio: "ignore" }).error) {
    return { reason: "bandit is not on PATH (apt-get install -y bandit)" };
  }
  out(`running bandit (timeout ${timeoutS} s) ...`);
  const args = ["-r", "-q", "-f", "json", "-o", "/dev/null"];
  args.push("-x", `${join(tree, "site-packages")},*/site-packages/*`, tree);
  const started = performance.now();

  return new Promise((resolveRun) => {
    const child = spawn("bandit", args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutS * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      // Bandit exits 1 when it finds issues, which it does on any large tree.
      if (signal) {
        resolveRun({ reason: `killed after ${timeoutS} s (${signal})` });
      } else if (code === 0 || code === 1) {
        resolveRun({ ms });
      } else {
        resolveRun({ reason: `exit code ${code}: ${stderr.trim().split("\n").at(-1) ?? ""}` });
      }
    });
  });
}

/**
 * Copies the tree's parsable Python files (so every copied line counts) into a temporary folder as many times as needed to pass
 * `options.lines` (the last copy partial), scans it, and removes it.
 */
async function grownTreeScan(python: SourceFile[], options: Options) {
  const folder = mkdtempSync(join(tmpdir(), "flaskguard-bench-"));
  try {
    let lines = 0;
    for (let copy = 1; lines < options.lines; copy++) {
      for (const file of python) {
        if (lines >= options.lines) {
          break;
        }
        const target = join(folder, `copy-${copy}`, file.path);
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(file.absPath, target);
        lines += countLines(readFileSync(file.absPath));
      }
    }
    out(`grown tree: ${lines} lines in ${folder}`);
    warmFileCache(discover(folder).files);
    const run = await measure(() => scan({ root: folder, jobs: options.jobs }));

    return { ms: run.ms, peakRss: run.peakRss, lines: run.value.report.stats.lines };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Reads every file once so the first measured run does not pay for a cold disk cache. */
function warmFileCache(files: readonly SourceFile[]): void {
  for (const f of files) {
    try {
      readFileSync(f.absPath);
    } catch {
      // Unreadable files are the scan's to report.
    }
  }
}

function standardLibrary(): string {
  const script = "import sysconfig; print(sysconfig.get_paths()['stdlib'])";
  const result = spawnSync("python3", ["-c", script], { encoding: "utf8" });
  if (result.status !== 0 || !result.stdout.trim()) {
    throw new Error("python3 not found: give the tree to benchmark as an argument");
  }

  return result.stdout.trim();
}

function parseArguments(args: string[]): Options {
  const options: Options = {
    tree: null,
    rounds: 5,
    jobs: undefined,
    lines: 1_000_000,
    bandit: true,
    banditTimeoutS: 900,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const n = Number(args[++i]);
      if (!Number.isFinite(n) || n < 0) {
        throw new Error(`${arg} needs a number`);
      }

      return n;
    };
    if (arg === "--rounds") {
      options.rounds = Math.max(1, value());
    } else if (arg === "--jobs") {
      options.jobs = value();
    } else if (arg === "--lines") {
      options.lines = value();
    } else if (arg === "--bandit-timeout") {
      options.banditTimeoutS = value();
    } else if (arg === "--no-bandit") {
      options.bandit = false;
    } else if (arg.startsWith("-")) {
      throw new Error(`unknown option ${arg}`);
    } else {
      options.tree = arg;
    }
  }

  return options;
}

function countLines(bytes: Buffer): number {
  let lines = 1;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) {
    lines++;
  }

  return lines;
}

function best(runs: Measurement[]): Measurement {
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

function median(runs: Measurement[]): number {
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)]!;
}

function maxRss(): number {
  // resourceUsage reports kibibytes; it covers every thread of the process, workers included.
  return process.resourceUsage().maxRSS * 1024;
}

function verdict(target: string, met: boolean, detail: string): void {
  out(`${met ? "MET    " : "NOT MET"}       ${target}: ${detail}`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number) => `${Math.round(bytes / MiB)} MiB`;

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
