import { readFileSync } from "node:fs";
import { InvalidInputError } from "@bulletin/core";

/**
 * Reads a file the user named, translating file-system errors into one clear line.
 *
 * @example
 * readInputFile("samples/bulletins/004_c6f4c6a81dc11ba8.txt").length; // 25945
 */
export function readInputFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory, not a file"
          : code === "EACCES" || code === "EPERM"
            ? "permission denied"
            : (e as Error).message;
    throw new InvalidInputError("input.unreadable", `cannot read ${path}: ${why}`);
  }
}
