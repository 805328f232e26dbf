/**
 * The verdict of one check, kept as plain data so the checks can be unit-tested without the test
 * runner, and the one place that turns it into a node:test subtest: pass, fail with a message,
 * skip while a rule is pending, or todo for a known gap that is still open.
 */

import assert from "node:assert/strict";
import type { TestContext } from "node:test";

export type Outcome =
  | { kind: "pass" }
  | { kind: "fail"; message: string }
  | { kind: "pending"; waitsFor: string }
  | { kind: "todo"; reason: string; detail?: string };

export const PASS: Outcome = { kind: "pass" };

export function fail(message: string): Outcome {
  return { kind: "fail", message };
}

/** Reports an outcome as a subtest of `t`; a thrown error in `check` is a failure. */
export async function emit(t: TestContext, name: string, check: () => Outcome): Promise<void> {
  await t.test(name, (st) => {
    const outcome = check();
    switch (outcome.kind) {
      case "pass":
        return;
      case "pending":
        st.skip(`pending: waits for ${outcome.waitsFor}`);
        return;
      case "todo":
        st.todo(outcome.reason);
        for (const line of outcome.detail?.split("\n") ?? []) {
          st.diagnostic(line);
        }
        return;
      case "fail":
        assert.fail(outcome.message);
    }
  });
}
