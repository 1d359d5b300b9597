import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { formatDateTime } from "../domain/time.ts";
import { requireUser } from "../auth/session.server.ts";
import { listRevisions } from "../models/discussions/posts.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Versionen eines Beitrags", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const history = await listRevisions(actor, params.postId ?? "");
  if (!history || history.thread.id !== params.id) throw data(null, { status: 404 });
  return history;
}

export default function Revisions() {
  const history = useLoaderData<typeof loader>();
  const versions = [...history.versions].reverse();
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to={`/diskussionen/${history.thread.id}#beitrag-${history.postId}`}>{history.thread.title}</Link> ›
        Versionen
      </p>
      <h1>Versionen dieses Beitrags</h1>
      <p className="hint">Die neueste Fassung steht oben.</p>
      <ol className="revision-list" reversed>
        {versions.map((v, i) => (
          <li key={`${v.id}-${i}`} className="card">
            <h2 className="revision-list__title">
              {i === 0 ? "Aktuelle Fassung" : `Fassung vom ${formatDateTime(v.createdAt)}`}
            </h2>
            {i === 0 ? <p className="hint">Stand {formatDateTime(v.createdAt)}</p> : null}
            {history.isOpening && v.title ? (
              <p>
                <strong>Titel:</strong> {v.title}
              </p>
            ) : null}
            <div className="prose" dangerouslySetInnerHTML={{ __html: v.html }} />
          </li>
        ))}
      </ol>
    </div>
  );
}
