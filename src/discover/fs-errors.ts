/**
 * Turns file system errors into the short reasons a report shows ("permission denied"), so an
 * unreadable file or folder reads as a fact about the file, not as a stack trace.
 */

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** A short, human reason for a file system error. */
export function reason(error: unknown): string {
  switch (errorCode(error)) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOENT":
      return "no such file or folder";
    case "ENOTDIR":
      return "a path component is not a folder";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "EISDIR":
      return "is a folder";
    case "EIO":
      return "input/output error";
    case "EMFILE":
    case "ENFILE":
      return "too many open files";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
