import { Link } from "@remix-run/react";
import { formatDateTime } from "../../domain/time.ts";
import { statusLabels } from "../../domain/rounds/types.ts";

export interface RoundListItem {
  id: string;
  title: string;
  description: string;
  startsAt: string | Date;
  capacity: number;
  registered: number;
  status: keyof typeof statusLabels;
  mine: string | null;
  outcomeMaterialId: string | null;
}

const mineLabels: Record<string, string> = {
  registered: "Du bist angemeldet",
  waiting: "Du stehst auf der Warteliste",
};

export function RoundList({ rounds, past }: { rounds: RoundListItem[]; past?: boolean }) {
  return (
    <ul className="thread-list round-list">
      {rounds.map((r) => (
        <li key={r.id} className="thread-list__item">
          <h3 className="thread-list__title">
            <Link to={`/dialogrunden/${r.id}`}>{r.title}</Link>
          </h3>
          <p className="thread-list__meta">
            <time dateTime={new Date(r.startsAt).toISOString()}>{formatDateTime(r.startsAt)} Uhr</time>
            {" · "}
            {r.status === "live" ? <span className="badge badge--warning">Läuft gerade</span> : statusLabels[r.status]}
            {!past ? ` · ${Math.max(0, r.capacity - r.registered)} von ${r.capacity} Plätzen frei` : null}
            {r.mine && mineLabels[r.mine] ? ` · ${mineLabels[r.mine]}` : null}
          </p>
          {r.description ? (
            <p className="hint">{r.description.length > 200 ? `${r.description.slice(0, 200)} …` : r.description}</p>
          ) : null}
          {past && r.outcomeMaterialId ? (
            <p>
              <Link to={`/materialien/${r.outcomeMaterialId}`}>Zum Ergebnis in den Materialien</Link>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
