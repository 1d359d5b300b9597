import { data } from "@remix-run/node";

/** Any unknown path: the root error boundary shows the German 404 page. */
export async function loader() {
  throw data(null, { status: 404 });
}

export async function action() {
  throw data(null, { status: 404 });
}

export default function NotFound() {
  return null;
}
