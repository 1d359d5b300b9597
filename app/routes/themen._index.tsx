import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { formatDate } from "../domain/time.ts";
import { requireUser } from "../auth/session.server.ts";
import { isModerator } from "../auth/permissions.ts";
import { listRooms } from "../models/community/categories.server.ts";
import { roomUnreadCounts } from "../models/discussions/unread.server.ts";
import { UNREAD_RULE, unreadText } from "../domain/discussions/unread.ts";
import "../styles/rooms.css";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    "Themenräume",
    matches,
    "Die Themenräume des Netzwerks: Austausch nach Themen der Lernbegleitung, zum Mitlesen und Mitreden.",
  );

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const [rooms, unread] = await Promise.all([listRooms(actor), roomUnreadCounts(actor)]);
  return {
    rooms: rooms.map((room) => ({ ...room, unread: unreadText(unread.get(room.id)) })),
    canManage: isModerator(actor),
  };
}

function discussions(n: number) {
  return n === 1 ? "1 Diskussion" : `${n} Diskussionen`;
}

/** Every Themenraum with what is going on in it; each card leads into its room. */
export default function Rooms() {
  const { rooms, canManage } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/diskussionen">Diskussionen</Link> › Themenräume
      </p>
      <div className="page-head">
        <h1>Themenräume</h1>
        <Link to="/diskussionen/neu" className="button">
          Neue Diskussion
        </Link>
      </div>
      <p className="lead">
        Jede Diskussion gehört zu einem Themenraum. Beobachte einen Raum, dann erfährst du von neuen Beiträgen darin.
      </p>
      <p className="hint">{UNREAD_RULE}</p>
      {rooms.length === 0 ? (
        <div className="card rooms-empty">
          <p>Es gibt noch keine Themenräume.</p>
          <p className="hint">
            {canManage ? (
              <>
                Lege den ersten unter <Link to="/moderation/themen">Moderation › Themenräume</Link> an.
              </>
            ) : (
              "Die Moderation legt sie an. Bis dahin findest du alle Beiträge unter Diskussionen."
            )}
          </p>
        </div>
      ) : (
        <ul className="grid grid--plain rooms" role="list">
          {rooms.map((room) => (
            <li key={room.slug} className="card room-card">
              <h2 className="room-card__title">
                <Link to={`/themen/${room.slug}`} className="room-card__link">
                  {room.name}
                </Link>
              </h2>
              {room.description ? <p>{room.description}</p> : null}
              {room.unread ? <p className="room-card__unread">{room.unread}</p> : null}
              <p className="room-card__facts hint">
                {discussions(room.threadCount)}
                {room.lastActivityAt ? (
                  <> · zuletzt aktiv am {formatDate(room.lastActivityAt)}</>
                ) : (
                  " · noch keine Beiträge"
                )}
                {room.watching ? (
                  <>
                    {" "}
                    · <span className="room-card__watching">beobachtet</span>
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
      {canManage && rooms.length > 0 ? (
        <p className="hint">
          Räume anlegen, umbenennen und ordnen: <Link to="/moderation/themen">Moderation › Themenräume</Link>
        </p>
      ) : null}
    </div>
  );
}
