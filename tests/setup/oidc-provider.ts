/**
 * A real OpenID Connect provider for the sign-in tests (the certified `oidc-provider`, in-memory adapter) on a random
 * port of this process, with one confidential test client and test accounts whose groups a test can change. Its
 * own sign-in page is a small German form (Benutzername); consent is granted by the provider itself, as for a
 * first-party client.
 */
import crypto from "node:crypto";
import http from "node:http";
import net from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export interface TestAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  groups: string[];
}

export const OIDC_CLIENT = { id: "netzwerk", secret: "test-geheimnis-mit-genug-zeichen-0123456789" };

/** A free port for the site, so that PUBLIC_URL (and with it the registered redirect URI) is known before it starts. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const page = (title: string, body: string) => `<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;

function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => resolve(new URLSearchParams(body)));
    req.on("error", reject);
  });
}

export interface TestProvider {
  issuer: string;
  accounts: Map<string, TestAccount>;
  /** The environment the site needs to use this provider. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startTestProvider(siteUrl: string, accounts: TestAccount[]): Promise<TestProvider> {
  const byName = new Map(accounts.map((a) => [a.sub, a]));
  const httpServer = http.createServer();
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(httpServer.address() as net.AddressInfo).port}`;
  const signingKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

  const configuration: Configuration = {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [`${siteUrl}/anmelden/organisation/zurueck`],
        post_logout_redirect_uris: [`${siteUrl}/anmelden?abgemeldet=1`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: "test", alg: "RS256", use: "sig" } as never] },
    cookies: { keys: [crypto.randomBytes(32).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true, logoutSource } },
    // Lifetimes set here only so the library does not print a notice for each default it uses.
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Claims as the account is now: a group changed by a test shows in the next sign-in's tokens.
    async findAccount(_ctx, sub) {
      const account = byName.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ ...account }) };
    },
    // A first-party client: the provider grants the scopes asked for without a consent page.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid email profile groups");
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  // The library warns about its development defaults on stderr; nothing of that is used here.
  const callback = provider.callback();

  httpServer.on("request", async (req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? "");
    if (req.url === "/favicon.ico") return void res.writeHead(204).end();
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === "POST" && match[2]) {
        const sub = (await readForm(req)).get("benutzername") ?? "";
        if (!byName.has(sub)) {
          res.writeHead(400, { "Content-Type": "text/html; charset=utf-8" });
          return void res.end(page("Anmeldung bei der Organisation", `<p role="alert">Unbekannter Benutzername.</p>`));
        }
        await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
        return;
      }
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(
        page(
          "Anmeldung bei der Organisation",
          `<form method="post" action="/interaction/${details.uid}/login">
<label for="benutzername">Benutzername</label> <input id="benutzername" name="benutzername" autocomplete="username" required>
<button type="submit">Weiter</button></form>`,
        ),
      );
    } catch {
      res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end("Anmeldevorgang unbekannt");
    }
  });

  return {
    issuer,
    accounts: byName,
    env: {
      PUBLIC_URL: siteUrl,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: OIDC_CLIENT.id,
      OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
      OIDC_SCOPES: "openid email profile groups",
      OIDC_GROUPS_CLAIM: "groups",
      OIDC_ADMIN_GROUPS: "netzwerk-admins",
      OIDC_MODERATOR_GROUPS: "kompetenzteam,moderation",
    },
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}

async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.body = page(
    "Abmelden bei der Organisation",
    `${form}<p>Möchtest du dich auch bei der Organisation abmelden?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, abmelden</button>`,
  );
}
