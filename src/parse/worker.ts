/**
 * Entry point of a parse worker thread. It owns one tree-sitter parser, announces itself once the
 * grammar is loaded, then answers each `{ id, task }` message with `{ id, result }`. A result that
 * cannot be sent (a tree too deep for the structured clone) is replaced by an error result, so the
 * main thread always hears back about every file it sent.
 */

import { parentPort } from "node:worker_threads";
import { FileParser, type ParseTask, type TaskResult } from "./file.js";
import { type PackedModule, packModule } from "./wire.js";

export interface WorkerRequest {
  id: number;
  task: ParseTask;
}

/** A task result as it crosses threads: converted trees travel packed (see `wire.ts`). */
export type WireResult =
  | Exclude<TaskResult, { kind: "parsed" }>
  | {
      kind: "packed";
      packed: PackedModule;
      imports: Extract<TaskResult, { kind: "parsed" }>["imports"];
      modelled: boolean;
    };

export type WorkerMessage = { ready: true } | { id: number; result: WireResult };

const port = parentPort;
if (!port) {
  throw new Error("parse worker started outside a worker thread");
}

const parser = await FileParser.create();

port.on("message", async (request: WorkerRequest) => {
  const result = await parser.run(request.task);
  try {
    if (result.kind === "parsed") {
      const { packed, transfer } = packModule(result.module);
      const { imports, modelled } = result;
      const wire: WireResult = { kind: "packed", packed, imports, modelled };
      port.postMessage({ id: request.id, result: wire } satisfies WorkerMessage, transfer);
    } else {
      port.postMessage({ id: request.id, result } satisfies WorkerMessage);
    }
  } catch (error) {
    const message =
      error instanceof RangeError
        ? "too deeply nested to analyse (the syntax tree exceeds the stack); skipped"
        : `could not hand the syntax tree back (${String(error)}); skipped`;
    port.postMessage({
      id: request.id,
      result: { kind: "error", message },
    } satisfies WorkerMessage);
  }
});

port.postMessage({ ready: true } satisfies WorkerMessage);
