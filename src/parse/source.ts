/**
 * Reads a file the scan must treat as text and refuses, with a message a person understands,
 * anything that is not: files over the size limit, binary files (NUL bytes), and bytes that are
 * not valid UTF-8. A UTF-8 byte order mark is accepted and removed. Used by the parse workers for
 * Python sources and usable by any stage that reads configuration files.
 */

import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { reason } from "../discover/fs-errors.js";

/** Files above this size are not analysed: generated or vendored code, never a Flask view. */
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

export type ReadOutcome = { ok: true; text: string } | { ok: false; message: string };

/** `TextDecoder` with `fatal` throws on the first invalid byte instead of inserting U+FFFD. */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export function readTextFile(absPath: string, maxBytes = DEFAULT_MAX_FILE_BYTES): ReadOutcome {
  let bytes: Buffer;
  let fd: number;
  try {
    fd = openSync(absPath, "r");
  } catch (error) {
    return { ok: false, message: `could not read file: ${reason(error)}` };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) {
      return { ok: false, message: tooLarge(size, maxBytes) };
    }
    bytes = readFileSync(fd);
  } catch (error) {
    return { ok: false, message: `could not read file: ${reason(error)}` };
  } finally {
    closeSync(fd);
  }
  // The file may have grown between fstat and read.
  if (bytes.length > maxBytes) {
    return { ok: false, message: tooLarge(bytes.length, maxBytes) };
  }

  return decodeText(bytes);
}

/** Decodes bytes already in memory with the same checks as `readTextFile`. */
export function decodeText(bytes: Uint8Array): ReadOutcome {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return {
      ok: false,
      message: `binary file (NUL byte at line ${lineAt(bytes, nul)}), not source text; skipped`,
    };
  }
  try {
    return { ok: true, text: strictUtf8.decode(bytes) };
  } catch {
    return { ok: false, message: notUtf8Message(bytes) };
  }
}

function tooLarge(size: number, maxBytes: number): string {
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);

  return `file is ${mb(size)} MB, over the ${mb(maxBytes)} MB limit for analysis; skipped`;
}

function notUtf8Message(bytes: Uint8Array): string {
  const offset = firstInvalidUtf8(bytes);
  const where = `line ${lineAt(bytes, offset)} (byte ${offset})`;
  const declared = declaredEncoding(bytes);
  const hint = declared
    ? ` It declares "coding: ${declared}", which flaskguard does not read.`
    : "";

  return `not valid UTF-8 at ${where}; skipped.${hint}`;
}

/** The PEP 263 encoding declaration of the first two lines, if any. */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 512)).toString("latin1").split("\n").slice(0, 2);
  for (const line of head) {
    const match = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/.exec(line);
    if (match) {
      return match[1]!;
    }
  }

  return null;
}

/** 1-based line of a byte offset. */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
    }
  }

  return line;
}

/** Offset of the first byte that does not begin or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length =
      b < 0x80
        ? 1
        : b >= 0xc2 && b < 0xe0
          ? 2
          : b >= 0xe0 && b < 0xf0
            ? 3
            : b >= 0xf0 && b < 0xf5
              ? 4
              : 0;
    if (length === 0 || i + length > bytes.length) {
      return i;
    }
    for (let k = 1; k < length; k++) {
      if ((bytes[i + k]! & 0xc0) !== 0x80) {
        return i;
      }
    }
    // Overlong three- and four-byte forms, surrogates and code points past U+10FFFF.
    const second = bytes[i + 1] ?? 0;
    if (
      (b === 0xe0 && second < 0xa0) ||
      (b === 0xed && second >= 0xa0) ||
      (b === 0xf0 && second < 0x90) ||
      (b === 0xf4 && second >= 0x90)
    ) {
      return i;
    }
    i += length;
  }

  return bytes.length;
}
