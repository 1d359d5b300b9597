import { data, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { requireUser } from "../auth/session.server.ts";
import { getCollection } from "../models/library/collections.server.ts";
import { materialTypeLabels } from "../domain/library/types.ts";
import "../styles/library.css";

export const meta = ({ data, matches }: MetaArgs<typeof loader>) =>
  pageTitle(data?.collection.title ?? "Themenpaket", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireUser(request, context);
  const found = await getCollection(params.slug ?? "");
  if (!found) throw data(null, { status: 404 });
  // Members see only what is published; the order is the moderators'.
  return { collection: found.collection, items: found.items.filter((i) => i.status === "published") };
}

export default function Collection() {
  const { collection, items } = useLoaderData<typeof loader>();
  return (
    <div className="page page--form">
      <p className="breadcrumb">
        <Link to="/materialien">Materialien</Link> › Themenpaket
      </p>
      <h1>{collection.title}</h1>
      {collection.description ? <p className="lead">{collection.description}</p> : null}
      {items.length === 0 ? (
        <p className="empty">In diesem Themenpaket ist noch nichts veröffentlicht.</p>
      ) : (
        <ol className="collection-list">
          {items.map((m) => (
            <li key={m.id} className="card">
              <span className="badge">{materialTypeLabels[m.type]}</span>
              <h2 className="thread-list__title">
                <Link to={`/materialien/${m.id}`}>{m.title}</Link>
              </h2>
              {m.summary ? <p>{m.summary}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
