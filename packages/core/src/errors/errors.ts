/**
 * The one error hierarchy of the project. Core and adapters throw these; only the HTTP layer and the
 * CLI decide what a code means to a user (status code, exit code). Adapters translate SDK errors
 * into these exactly once.
 */
export class BulletinError extends Error {
  /** A stable, machine-readable code, e.g. "import.empty". */
  readonly code: string;
  /** What a message in the user's language needs besides the code (a line, a field), e.g. { line: 12 }. */
  readonly details: Readonly<Record<string, string | number>> | undefined;
  constructor(code: string, message: string, options?: ErrorOptions & { details?: Record<string, string | number> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options?.details;
  }
}

/** Input the user gave us could not be used: bad file, bad JSON, bad CSV row. */
export class InvalidInputError extends BulletinError {}

/**
 * An issue could not be imported. `where` says where in the input the problem is, as a human reads
 * it ("line 12", "sections[0].articles[1].title"), when it is known.
 *
 * @example
 * throw new ImportError("import.empty", "the file is empty");
 */
export class ImportError extends InvalidInputError {
  readonly where: string | undefined;
  constructor(
    code: string,
    message: string,
    where?: string,
    options?: ErrorOptions & { details?: Record<string, string | number> },
  ) {
    super(code, message, options);
    this.where = where;
  }
}

/** An import refused for its size: a PDF over the limit. The HTTP layer answers 413. */
export class TooLargeError extends ImportError {}

/** Something asked for does not exist. */
export class NotFoundError extends BulletinError {}

/** The caller is not known: no token, or one unknown, revoked or expired. The HTTP layer answers 401. */
export class UnauthenticatedError extends BulletinError {}

/** The caller is known, but their role may not do this. The HTTP layer answers 403. */
export class ForbiddenError extends BulletinError {}

/** A write lost a race or broke a uniqueness rule (the storage adapter's conditional check failed). */
export class ConflictError extends BulletinError {}

/**
 * A transient failure of a dependency (throttling, a timeout, a 5xx): the same request may succeed
 * if tried again later. The HTTP layer answers 503 with Retry-After; a queue consumer lets the
 * message be redelivered instead of recording a failure.
 */
export class RetryableError extends BulletinError {}
