/**
 * Ids from outside, checked before a query: every model function that takes an id from a URL, a form or a socket
 * calls one of these first, so a value that is no UUID never reaches PostgreSQL (which would fail the query with an
 * error instead of finding nothing). Not a UUID means: there is no such thing (404), or, for a field, a field message.
 */
import { isUuid } from "../schemas/values.ts";
import { InputError, NotFoundError } from "./errors.server.ts";

export { isUuid };

export function requireId(value: unknown, message?: string): string {
  if (!isUuid(value)) throw new NotFoundError(message);
  return value;
}

export function requireFieldId(value: unknown, field: string, message = "Diesen Eintrag gibt es nicht."): string {
  if (!isUuid(value)) throw new InputError(field, message);
  return value;
}
