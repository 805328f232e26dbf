/**
 * A small pool of parse worker threads. Each worker holds one file at a time, so when a worker
 * dies (an abort inside the WebAssembly parser, running out of memory) or hangs past the time
 * limit, the file it held is known: it is reported as an error result, the worker is replaced, and
 * the other files go on. Tasks are handed out largest file first so one big file does not finish
 * last on its own.
 */

import { Worker } from "node:worker_threads";
import type { ParseTask } from "./file.js";
import type { WireResult, WorkerMessage, WorkerRequest } from "./worker.js";

export interface PoolOptions {
  size: number;
  /** A file still unparsed after this long is given up on (default two minutes). */
  timeoutMs?: number;
}

/** Gives up on the pool (the caller parses in-process instead) after this many failed starts. */
const MAX_START_FAILURES = 3;

interface Slot {
  worker: Worker;
  /** The task being parsed and its id, or null while idle. */
  current: { id: number; task: ParseTask } | null;
  timer: NodeJS.Timeout | null;
  /** Removes the listeners of the current `run`. */
  unwire: (() => void) | null;
}

export class ParsePool {
  private readonly slots = new Set<Slot>();
  private startFailures = 0;
  /** Set by `close`: a replacement worker that finishes starting afterwards is stopped at once. */
  private closed = false;
  private nextId = 0;

  private constructor(private readonly options: PoolOptions) {}

  /** Workers running now. */
  get size(): number {
    return this.slots.size;
  }

  /** Starts the workers; rejects when not even one can start, so the caller can fall back. */
  static async open(options: PoolOptions): Promise<ParsePool> {
    const pool = new ParsePool(options);
    const started = await Promise.allSettled(
      Array.from({ length: options.size }, () => pool.startSlot()),
    );
    const failure = started.find((s) => s.status === "rejected");
    if (pool.slots.size === 0) {
      throw failure?.status === "rejected" ? failure.reason : new Error("no parse worker started");
    }

    return pool;
  }

  /**
   * Parses every task, calling `onResult` as each finishes. Resolves with the tasks no worker
   * could take because the pool broke down (normally none); the caller parses those in-process.
   */
  run(tasks: ParseTask[], onResult: (task: ParseTask, result: WireResult) => void) {
    const queue = [...tasks];
    let pending = tasks.length;

    return new Promise<ParseTask[]>((resolveRun) => {
      if (pending === 0 || this.slots.size === 0) {
        resolveRun(queue);
        return;
      }
      const finish = (task: ParseTask, result: WireResult) => {
        onResult(task, result);
        pending--;
        if (pending === 0) {
          resolveRun([]);
        }
      };
      const dispatch = (slot: Slot) => {
        const task = queue.shift();
        if (!task) {
          return;
        }
        const id = this.nextId++;
        slot.current = { id, task };
        slot.timer = setTimeout(
          () => replace(slot, timeoutMessage(this.timeoutMs)),
          this.timeoutMs,
        );
        slot.worker.postMessage({ id, task } satisfies WorkerRequest);
      };
      const onMessage = (slot: Slot, message: WorkerMessage) => {
        if (!("id" in message) || slot.current?.id !== message.id) {
          return;
        }
        const { task } = slot.current;
        clearTimer(slot);
        slot.current = null;
        dispatch(slot);
        finish(task, message.result);
      };
      // The worker died or hung: report its file, and start a replacement while work remains.
      const replace = (slot: Slot, message: string) => {
        if (!this.slots.has(slot)) {
          return;
        }
        const lost = slot.current?.task;
        clearTimer(slot);
        slot.current = null;
        this.slots.delete(slot);
        void slot.worker.terminate();
        if (lost) {
          finish(lost, { kind: "error", message });
        }
        respawn();
      };
      const respawn = () => {
        if (queue.length === 0) {
          return;
        }
        this.startSlot()
          .then((fresh) => {
            wire(fresh);
            dispatch(fresh);
          })
          .catch(() => {
            if (this.slots.size > 0) {
              return;
            }
            if (this.startFailures < MAX_START_FAILURES) {
              respawn();
              return;
            }
            // No worker left and none will start: hand the rest back to run in-process.
            const rest = queue.splice(0);
            pending -= rest.length;
            resolveRun(rest);
          });
      };
      const wire = (slot: Slot) => {
        slot.unwire?.();
        const message = (m: WorkerMessage) => onMessage(slot, m);
        const error = (e: Error) => replace(slot, crashMessage(e));
        const exit = (code: number) => {
          if (this.slots.has(slot)) {
            replace(slot, crashMessage(new Error(`worker exited with code ${code}`)));
          }
        };
        slot.worker.on("message", message).on("error", error).on("exit", exit);
        // Only our own listeners go: removing all of a Worker's listeners would also remove the
        // ones Node uses to keep its message port running.
        slot.unwire = () => {
          slot.worker.off("message", message).off("error", error).off("exit", exit);
        };
      };
      for (const slot of this.slots) {
        wire(slot);
        dispatch(slot);
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.slots].map((s) => s.worker);
    this.slots.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 120_000;
  }

  /** Starts one worker and waits until its parser is loaded. */
  private startSlot(): Promise<Slot> {
    return new Promise((resolveStart, rejectStart) => {
      let worker: Worker;
      try {
        worker = spawnWorker();
      } catch (error) {
        this.startFailures++;
        rejectStart(error);
        return;
      }
      const fail = (error: unknown) => {
        this.startFailures++;
        void worker.terminate();
        rejectStart(error);
      };
      const exited = (code: number) => fail(new Error(`parse worker exited with code ${code}`));
      worker.once("error", fail);
      worker.once("exit", exited);
      worker.once("message", (message: WorkerMessage) => {
        worker.off("error", fail).off("exit", exited);
        if (!("ready" in message)) {
          fail(new Error("parse worker spoke before it was ready"));
          return;
        }
        if (this.closed) {
          void worker.terminate();
          rejectStart(new Error("the parse pool is closed"));
          return;
        }
        const slot: Slot = { worker, current: null, timer: null, unwire: null };
        this.slots.add(slot);
        resolveStart(slot);
      });
    });
  }
}

function clearTimer(slot: Slot): void {
  if (slot.timer) {
    clearTimeout(slot.timer);
    slot.timer = null;
  }
}

/**
 * Starts a worker on the compiled `worker.js`. When running from TypeScript sources (tests, the
 * benchmark under tsx), the worker first registers tsx's loader, since worker threads do not
 * inherit the loader hooks of the main thread.
 */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) {
    return new Worker(new URL("./worker.js", here));
  }
  const loader = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./worker.ts", here).href;
  const bootstrap = `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;

  return new Worker(bootstrap, { eval: true });
}

function timeoutMessage(ms: number): string {
  const limit = ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;

  return `parsing took longer than ${limit}; skipped`;
}

function crashMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);

  return `the parser crashed on this file (${text}); skipped`;
}
