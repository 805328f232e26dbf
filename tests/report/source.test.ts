/** Code frames and edit hunks, the pieces the text and HTML reports show code with. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { codeFrame, editHunk } from "../../src/report/source.js";

const SOURCE = "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n";

test("a code frame shows the anchor with context, clamped to the file", () => {
  assert.deepEqual(
    codeFrame(SOURCE, 2, 3, 1).map((l) => `${l.marked ? ">" : " "}${l.number}:${l.text}`),
    [" 1:a = 1", ">2:b = 2", ">3:c = 3", " 4:d = 4"],
  );
  assert.deepEqual(
    codeFrame(SOURCE, 1, 1, 2).map((l) => l.number),
    [1, 2, 3],
  );
});

test("a long anchor is cut to its first lines", () => {
  const long = Array.from({ length: 30 }, (_, i) => `x${i + 1}`).join("\n");
  const frame = codeFrame(long, 2, 30, 0);
  assert.equal(frame.filter((l) => l.marked).length, 8);
  assert.equal(frame.at(-1)?.number, 9);
});

test("an inserted line shows as one added line", () => {
  const hunk = editHunk(SOURCE, {
    file: "f.py",
    start: { line: 3, column: 1 },
    end: { line: 3, column: 1 },
    text: "import os\n",
  });
  assert.deepEqual(hunk, { file: "f.py", line: 3, removed: [], added: ["import os"] });
});

test("a replacement inside a line shows the old and new line", () => {
  const hunk = editHunk(SOURCE, {
    file: "f.py",
    start: { line: 4, column: 5 },
    end: { line: 4, column: 6 },
    text: "42",
  });
  assert.deepEqual(hunk, { file: "f.py", line: 4, removed: ["d = 4"], added: ["d = 42"] });
});

test("an edit that does not fit the file gives no hunk", () => {
  const edit = {
    file: "f.py",
    start: { line: 9, column: 1 },
    end: { line: 9, column: 2 },
    text: "",
  };
  assert.equal(editHunk(SOURCE, edit), null);
  assert.equal(editHunk(undefined, edit), null);
});
