/** Registration with a capacity and a waiting list that moves up by itself. Pure. */
export type RegistrationStatus = "registered" | "waiting" | "cancelled";

export interface Registration {
  userId: string;
  status: RegistrationStatus;
  queuedAt: Date;
}

/** Where a new registration lands. */
export function placeFor(registeredCount: number, capacity: number): "registered" | "waiting" {
  return registeredCount < capacity ? "registered" : "waiting";
}

/**
 * After a cancellation (or a larger capacity): who moves up from the waiting list, first come first served,
 * as many as there are free places.
 */
export function promotions(registrations: Registration[], capacity: number): string[] {
  const registered = registrations.filter((r) => r.status === "registered").length;
  const free = Math.max(0, capacity - registered);
  return registrations
    .filter((r) => r.status === "waiting")
    .sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || (a.userId < b.userId ? -1 : 1))
    .slice(0, free)
    .map((r) => r.userId);
}

/** 1-based place on the waiting list, or null. */
export function waitingPlace(registrations: Registration[], userId: string): number | null {
  const waiting = registrations
    .filter((r) => r.status === "waiting")
    .sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || (a.userId < b.userId ? -1 : 1));
  const index = waiting.findIndex((r) => r.userId === userId);
  return index < 0 ? null : index + 1;
}
