import "./context.ts";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import stylesUrl from "./styles/app.css?url";
import { SiteHeader } from "./components/SiteHeader.tsx";
import { pageTitle } from "./components/meta.ts";
import { identity } from "./domain/identity.ts";
import { t } from "./i18n/de.ts";
import { getSiteSettings } from "./models/settings.server.ts";
import { useNonce } from "./nonce.tsx";
import { useSessionSocket } from "./realtime/useSocket.ts";
import { useOfflineCopies } from "./sw/client.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/apple-touch-icon.png" },
];

/** Status and German title of what the error boundary shows. */
function errorPage(error: unknown): { status: number; title: string; known: 403 | 404 | 500 | null } {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const known = status === 403 || status === 404 ? status : status >= 500 ? 500 : null;
  return { status, known, title: known ? t(`error.${known}.title`) : t("error.generic.title", { status }) };
}

/**
 * Pages without a meta function of their own get the site's name and the default description; an error page its
 * German title (in the head: a <title> in the body is invalid HTML and the browser would not use it).
 */
export const meta: MetaFunction = ({ matches, error }) =>
  pageTitle(error ? errorPage(error).title : undefined, matches);

export async function loader({ context }: LoaderFunctionArgs) {
  // The name an admin set in the site settings (header and every page title).
  const { siteName } = await getSiteSettings();
  return { user: context.user, siteName, unread: context.unreadNotifications };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  // A page that read notifications (a thread) reports the count after that; otherwise the count at request start.
  const afterPage = useMatches()
    .map((m) => (m.data as { unreadNotifications?: number } | undefined)?.unreadNotifications)
    .find((n) => typeof n === "number");
  const unread = useSessionSocket(!!user, afterPage ?? data?.unread ?? 0);
  // Unknown (no root data, e.g. an error in the root loader) is not "nobody": the copies stay.
  useOfflineCopies(data ? (user?.id ?? null) : undefined);
  return (
    // suppressHydrationWarning: the script below adds the class "js" before React hydrates.
    <html lang="de" suppressHydrationWarning>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content={identity.brand} />
        {/* Before the first paint: parts that need the script (the header's menu button) may now fold. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: 'document.documentElement.classList.add("js")' }} />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#inhalt" className="skip-link">
          {t("nav.skip")}
        </a>
        <SiteHeader user={user} siteName={data?.siteName ?? t("site.name")} unread={unread} />
        <main id="inhalt" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>{t("footer.note")}</p>
          <p className="site-footer__motto">{t("site.motto")}</p>
          <ul className="site-footer__links">
            <li>
              <Link to="/datenschutz">{t("footer.privacy")}</Link>
            </li>
            <li>
              <Link to="/barrierefreiheit">{t("footer.accessibility")}</Link>
            </li>
            <li>
              <Link to="/leichte-sprache">{t("footer.easyLanguage")}</Link>
            </li>
          </ul>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** The one error boundary: 403, 404 and 500 in German, inside the normal page shell. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { status, known, title } = errorPage(error);
  const text = known ? t(`error.${known}.text`) : isRouteErrorResponse(error) ? String(error.data ?? "") : "";
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <div className="page page--narrow error-page">
      <p className="error-page__status">Fehler {status}</p>
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <Link to="/">{t("error.back")}</Link>
      </p>
    </div>
  );
}
