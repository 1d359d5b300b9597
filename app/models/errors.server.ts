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
