/** Errors that model functions throw and routes turn into responses: 403, or 400 with a message next to a field. */
export class ForbiddenError extends Error {
  constructor(message = "Dafür fehlt dir die Berechtigung.") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** A write that was refused because of the user's input; `field` names the form field the message belongs to. */
export class InputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** Too many attempts or too much within a time; `retryAfterSeconds` becomes the Retry-After header. */
export class TooManyError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = "TooManyError";
  }
}

export class NotFoundError extends Error {
  constructor(message = "Nicht gefunden.") {
    super(message);
    this.name = "NotFoundError";
  }
}

/**
 * For actions: a refused input becomes a 400 with the German message for its field (and what the user typed);
 * forbidden and missing become 403/404 for the error boundary. Anything else is a bug and propagates (500).
 */
export function inputErrorResponse(error: unknown, values: Record<string, unknown> = {}) {
  if (error instanceof InputError) {
    return Response.json({ errors: { [error.field]: error.message }, values }, { status: 400 });
  }
  if (error instanceof ForbiddenError) throw Response.json(error.message, { status: 403 });
  if (error instanceof NotFoundError) throw Response.json(null, { status: 404 });
  throw error;
}
