/**
 * The hand-raise queue (Wortmeldungen): ordered by the time the hand went up, ties by member id so every server
 * process orders identically. Pure: the database holds the raised-at times, this decides who is next.
 */
export interface RaisedHand {
  userId: string;
  raisedAt: Date;
}

export function orderQueue(hands: RaisedHand[]): RaisedHand[] {
  return [...hands].sort(
    (a, b) => a.raisedAt.getTime() - b.raisedAt.getTime() || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
  );
}

/** Raising twice keeps the first place: a second press must not send someone to the back. */
export function raiseHand(hands: RaisedHand[], userId: string, at: Date): RaisedHand[] {
  if (hands.some((h) => h.userId === userId)) return orderQueue(hands);
  return orderQueue([...hands, { userId, raisedAt: at }]);
}

export function lowerHand(hands: RaisedHand[], userId: string): RaisedHand[] {
  return orderQueue(hands.filter((h) => h.userId !== userId));
}

/**
 * The host gives the floor: to a chosen person in the queue, or to the first in line. The new speaker leaves the
 * queue. Returns null when there is nobody to give it to.
 */
export function giveFloor(hands: RaisedHand[], to?: string | null): { speakerId: string; queue: RaisedHand[] } | null {
  const ordered = orderQueue(hands);
  const next = to ? ordered.find((h) => h.userId === to) : ordered[0];
  if (!next) return null;
  return { speakerId: next.userId, queue: ordered.filter((h) => h.userId !== next.userId) };
}

/** 1-based place in the queue, or null when the hand is down. */
export function placeInQueue(hands: RaisedHand[], userId: string): number | null {
  const index = orderQueue(hands).findIndex((h) => h.userId === userId);
  return index < 0 ? null : index + 1;
}
