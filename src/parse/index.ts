/**
 * Parses the discovered Python files, on a pool of worker threads for large trees. The first pass
 * parses every file once and converts into plain nodes only the files that import a modelled
 * library; the others come back as `SkippedModule`s carrying their imports. From those imports the
 * main thread computes which other project modules the analysis needs (see `closure.ts`), and a
 * second pass converts just those. Bad files (unreadable, too large, binary, not UTF-8, too deep)
 * become `errors` entries; syntax errors stay on the module.
 */

import { availableParallelism } from "node:os";
import { linkParents } from "../python/ast.js";
import { analysisClosure, type ImportFacts } from "./closure.js";
import { FileParser, type ParseTask, type TaskMode, type TaskResult } from "./file.js";
import { ParsePool } from "./pool.js";
import { DEFAULT_MAX_FILE_BYTES } from "./source.js";
import type { FileError, ParsedModule, ParseResult, SkippedModule, SourceFile } from "./types.js";
import { unpackModule } from "./wire.js";
import type { WireResult } from "./worker.js";

export interface ParseOptions {
  /**
   * Worker threads. Default: the number of cores, at most 4, and 1 (parse on the calling thread)
   * when the Python sources are too few to repay starting workers. 1 always parses in-process.
   */
  jobs?: number;
  /**
   * `analyse` (default) converts what the analysis needs; `parse-only` parses and counts lines
   * without converting anything (the benchmark's baseline); `convert-all` converts every file.
   */
  mode?: "analyse" | "parse-only" | "convert-all";
  /** Files larger than this are reported and skipped (default 5 MiB). */
  maxFileBytes?: number;
  /** A file still unparsed after this long is reported and skipped (workers only). */
  timeoutMs?: number;
  /** Called after each file of the first pass. */
  onProgress?: (done: number, total: number) => void;
}

/** Below this much Python source, starting workers costs more than it saves. */
const IN_PROCESS_BYTES = 1_000_000;
const IN_PROCESS_FILES = 16;
const MAX_DEFAULT_JOBS = 4;

export async function parseFiles(
  files: readonly SourceFile[],
  options: ParseOptions = {},
): Promise<ParseResult> {
  const python = files.filter((f) => f.kind === "python");
  const mode = options.mode ?? "analyse";
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const firstMode: TaskMode =
    mode === "parse-only" ? "parse-only" : mode === "convert-all" ? "convert" : "analyse";
  // Largest first: the longest files start early instead of finishing last on one worker.
  const tasks: ParseTask[] = [...python]
    .sort((a, b) => b.size - a.size)
    .map((f) => ({ path: f.path, absPath: f.absPath, mode: firstMode, maxBytes }));

  const collected = new Collected();
  const jobs = Math.min(defaultJobs(python, options.jobs), Math.max(1, tasks.length));
  const runner = await Runner.open(jobs, options.timeoutMs);
  try {
    let done = 0;
    await runner.run(tasks, (task, result) => {
      collected.add(task, result);
      options.onProgress?.(++done, tasks.length);
    });

    if (mode === "analyse") {
      const needed = analysisClosure(collected.facts());
      const secondPass = tasks
        .filter((t) => needed.has(t.path) && collected.skipped.has(t.path))
        .map((t) => ({ ...t, mode: "convert" as const }));
      await runner.run(secondPass, (task, result) => collected.add(task, result));
    }
  } finally {
    await runner.close();
  }

  return { ...collected.result(), workers: runner.workers };
}

/** The worker count to use for these files when the caller gives none (or gives 0). */
export function defaultJobs(python: readonly SourceFile[], requested?: number): number {
  if (requested !== undefined && requested > 0) {
    return Math.floor(requested);
  }
  const bytes = python.reduce((n, f) => n + f.size, 0);
  if (python.length < IN_PROCESS_FILES || bytes < IN_PROCESS_BYTES) {
    return 1;
  }

  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_JOBS));
}

/** Results of both passes, by path; a file converted in the second pass leaves `skipped`. */
class Collected {
  readonly parsed = new Map<string, ParsedModule>();
  readonly skipped = new Map<string, SkippedModule>();
  readonly errors = new Map<string, FileError>();
  private readonly facts_ = new Map<string, ImportFacts>();

  add(task: ParseTask, result: TaskResult | WireResult): void {
    switch (result.kind) {
      case "error":
        // A second-pass failure also keeps the first pass's summary: the file is still counted.
        this.errors.set(task.path, { file: task.path, message: result.message });
        break;
      case "skipped":
        this.skipped.set(task.path, result.module);
        this.facts_.set(task.path, { path: task.path, imports: result.imports, modelled: false });
        break;
      case "packed":
      case "parsed": {
        const module = result.kind === "packed" ? unpackModule(result.packed) : result.module;
        if (result.kind === "parsed") {
          linkParents(module.root);
        }
        this.skipped.delete(task.path);
        this.parsed.set(task.path, module);
        this.facts_.set(task.path, {
          path: task.path,
          imports: result.imports,
          modelled: result.modelled,
        });
        break;
      }
    }
  }

  facts(): ImportFacts[] {
    return [...this.facts_.values()];
  }

  result(): ParseResult {
    const byPath = <T extends { path: string }>(a: T, b: T) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

    return {
      modules: [...this.parsed.values()].sort(byPath),
      skipped: [...this.skipped.values()].sort(byPath),
      errors: [...this.errors.values()].sort((a, b) => byPath({ path: a.file }, { path: b.file })),
    };
  }
}

/**
 * Runs tasks on a worker pool, or on this thread when one job is asked for or workers cannot
 * start (the result is the same either way, only slower).
 */
class Runner {
  private inProcess: FileParser | null = null;

  /** Workers the pool started with (0 in-process). */
  readonly workers: number;

  private constructor(private readonly pool: ParsePool | null) {
    this.workers = pool?.size ?? 0;
  }

  static async open(jobs: number, timeoutMs?: number): Promise<Runner> {
    if (jobs <= 1) {
      return new Runner(null);
    }
    try {
      return new Runner(await ParsePool.open({ size: jobs, timeoutMs }));
    } catch {
      // TODO: surface through the injected logger once parse gets one; meanwhile the only sign
      // that workers failed to start is a slower scan.
      return new Runner(null);
    }
  }

  async run(
    tasks: ParseTask[],
    onResult: (task: ParseTask, result: TaskResult | WireResult) => void,
  ) {
    const left = this.pool ? await this.pool.run(tasks, onResult) : tasks;
    if (left.length === 0) {
      return;
    }
    this.inProcess ??= await FileParser.create();
    for (const task of left) {
      onResult(task, await this.inProcess.run(task));
    }
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
