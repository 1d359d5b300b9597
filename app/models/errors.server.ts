/**
 * The one error contract (ADR 019). Model functions refuse by throwing one of these; nothing else in the code base
 * signals a refusal with a string or an `{ ok: false, reason }` value that a caller would have to compare.
 * Two adapters turn them into answers: `errorResponse` for HTTP (loaders, actions, the error boundary) and `ackError`
 * for socket.io acknowledgements. Anything that is not one of these is a bug and becomes a 500.
 */
import { data } from "@remix-run/node";

export type FieldErrors = Record<string, string>;

/**
 * Marks the family by a registered symbol, not by class identity: the Remix server build and the Express server are
 * separate module graphs, so an error thrown in the build is not an `instanceof` this file's classes in server/.
 */
const FAMILY = Symbol.for("lernbegleitung.refusal");

export abstract class RefusalError extends Error {
  abstract readonly status: 400 | 403 | 404 | 409 | 429;
  readonly [FAMILY] = true;
}

/** Not there, or not visible to this member (a hidden thing answers like a missing one). */
export class NotFoundError extends RefusalError {
  readonly status = 404;
  constructor(message = "Nicht gefunden.") {
    super(message);
    this.name = "NotFoundError";
  }
}

export class ForbiddenError extends RefusalError {
  readonly status = 403;
  constructor(message = "Dafür fehlt dir die Berechtigung.") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** Refused because of the input; `field` names the form field the German message belongs to (`form`: the whole form). */
export class InputError extends RefusalError {
  readonly status = 400;
  readonly errors: FieldErrors;
  constructor(
    readonly field: string,
    message: string,
    more: FieldErrors = {},
  ) {
    super(message);
    this.name = "InputError";
    this.errors = { ...more, [field]: message };
  }

  /** Several fields at once; the first one is `field`. */
  static fields(errors: FieldErrors): InputError {
    const [first, ...rest] = Object.entries(errors);
    return new InputError(first?.[0] ?? "form", first?.[1] ?? "Ungültige Eingabe.", Object.fromEntries(rest));
  }
}

/** The input is fine, but the state of things does not allow it now (a closed room, a name already taken). */
export class ConflictError extends RefusalError {
  readonly status = 409;
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

/** Too many attempts; `retryAfterSeconds` becomes the Retry-After header. */
export class TooManyError extends RefusalError {
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = "TooManyError";
  }
}

export function isRefusal(error: unknown): error is RefusalError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[FAMILY] === true;
}

/**
 * The HTTP adapter. A refused input becomes a 400 with the message per field and what the user typed (`values`), for
 * the form to show (`form: false`: the message alone); the others become their status with the German message, for
 * the error boundary. Routes return the result for an InputError in an action and throw it otherwise; the build
 * wrapper in server/boundary.ts does the same for whatever a route does not catch.
 */
export function errorResponse(
  error: RefusalError,
  values: Record<string, unknown> = {},
  options: { form?: boolean } = {},
) {
  const { status, headers } = statusOf(error);
  // A loader's refused input (a bad filter) has no form to show it next to: its message goes to the error boundary.
  if (status === 400 && options.form !== false)
    return data({ errors: fieldErrors(error), values }, { status, headers });
  return data(error.message, { status, headers });
}

/** The same for resource routes (API, feeds, downloads): a plain Response, JSON with `error` and the field messages. */
export function resourceErrorResponse(error: RefusalError): Response {
  const { status, headers } = statusOf(error);
  const body = status === 400 ? { error: error.message, errors: fieldErrors(error) } : { error: error.message };
  return Response.json(body, { status, headers });
}

function statusOf(error: RefusalError): { status: number; headers: Record<string, string> } {
  const retry = (error as Partial<TooManyError>).retryAfterSeconds;
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (error.status === 429 && retry !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(retry)));
  return { status: error.status, headers };
}

// By shape, not instanceof: the error may come from the other module graph (see FAMILY).
function fieldErrors(error: RefusalError): FieldErrors {
  return (error as Partial<InputError>).errors ?? { form: error.message };
}

/**
 * For actions: a refused input is returned as a 400 with the German message for its field (and what the user typed);
 * the rest of the family is thrown for the error boundary. Anything else is a bug and propagates (500).
 */
export function inputErrorResponse(error: unknown, values: Record<string, unknown> = {}) {
  if (!isRefusal(error)) throw error;
  const response = errorResponse(error, values);
  if (error.status === 400) return response;
  throw response;
}

/** For actions that shape their own 400 answer: the field messages of a refused input; any other error is rethrown. */
export function inputErrors(error: unknown): FieldErrors {
  if (isRefusal(error) && error.status === 400) return fieldErrors(error);
  throw error;
}

/** The socket adapter: the ack a refused event gets, or null for an unexpected error (which the caller logs). */
export function ackError(error: unknown): { ok: false; error: string; status: number } | null {
  if (!isRefusal(error)) return null;
  return { ok: false, error: error.message, status: error.status };
}
