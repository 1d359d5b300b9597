/**
 * What a live-room client keeps: events ordered by their room sequence number, each once. Events arrive live, from
 * the join answer and from "since N" replays, in any order and possibly twice; this merges them. Pure.
 */
export interface Sequenced {
  seq: number;
}

export function mergeEvents<E extends Sequenced>(known: E[], incoming: E[]): E[] {
  if (incoming.length === 0) return known;
  const bySeq = new Map<number, E>();
  for (const e of known) bySeq.set(e.seq, e);
  let changed = false;
  for (const e of incoming) {
    if (!bySeq.has(e.seq)) {
      bySeq.set(e.seq, e);
      changed = true;
    }
  }
  if (!changed) return known;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The highest number up to which nothing is missing: the client asks the server for what comes after it. */
export function contiguousUpTo<E extends Sequenced>(events: E[], from = 0): number {
  let last = from;
  for (const e of events) {
    if (e.seq <= last) continue;
    if (e.seq !== last + 1) break;
    last = e.seq;
  }
  return last;
}
