/**
 * Sign-in with the organisation's OpenID Connect provider (ADR 040), through the certified `openid-client`:
 * authorization code flow with PKCE, state and nonce. The three one-time values travel in a short-lived cookie of
 * their own (path of the callback, 10 minutes); the callback compares them and the library checks the ID token
 * (signature, issuer, audience, expiry, nonce). Nothing here writes to the database: accounts are the model's job.
 */
import * as client from "openid-client";
import { env } from "../env.server.ts";
import { InputError } from "../models/errors.server.ts";
import { isSecure } from "./session.server.ts";

export const SSO_START_PATH = "/anmelden/organisation";
export const SSO_CALLBACK_PATH = "/anmelden/organisation/zurueck";
/** Where the provider sends the browser after logging out there; register it as post_logout_redirect_uri. */
export const LOGGED_OUT_PATH = "/anmelden?abgemeldet=1";

const FLOW_COOKIE = "lbn_oidc";
const FLOW_SECONDS = 10 * 60;

export function ssoEnabled(): boolean {
  return !!env().OIDC_ISSUER;
}

export function passwordLoginEnabled(): boolean {
  return env().OIDC_PASSWORD_LOGIN;
}

let cached: { key: string; config: Promise<client.Configuration> } | undefined;

/**
 * The provider's metadata, discovered on first use and kept for the process: the site starts while the provider is
 * down, and a failed discovery is tried again on the next sign-in.
 */
function providerConfig(): Promise<client.Configuration> {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = env();
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) throw new Error("OIDC ist nicht eingerichtet");
  const key = `${OIDC_ISSUER}\n${OIDC_CLIENT_ID}`;
  if (cached?.key !== key) {
    const issuer = new URL(OIDC_ISSUER);
    const config = client
      .discovery(issuer, OIDC_CLIENT_ID, undefined, client.ClientSecretBasic(OIDC_CLIENT_SECRET), {
        // http only for a provider on the same machine (env.server.ts allows it for loopback hosts alone).
        execute: issuer.protocol === "http:" ? [client.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
    cached = { key, config };
  }
  return cached.config;
}

function publicUrl(path: string): string {
  return new URL(path, env().PUBLIC_URL).href;
}

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  redirectTo: string;
}

function flowCookie(request: Request, value: string, maxAge: number): string {
  return [
    `${FLOW_COOKIE}=${value}`,
    `Path=${SSO_CALLBACK_PATH}`,
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAge}`,
    isSecure(request) ? "Secure" : "",
  ]
    .filter(Boolean)
    .join("; ");
}

export function clearFlowCookie(request: Request): string {
  return flowCookie(request, "", 0);
}

function readFlow(cookieHeader: string | null): Flow | null {
  const raw = cookieHeader
    ?.split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${FLOW_COOKIE}=`))
    ?.slice(FLOW_COOKIE.length + 1);
  if (!raw || raw.length > 2000) return null;
  try {
    const flow = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Flow>;
    const fields = [flow.state, flow.nonce, flow.verifier, flow.redirectTo];
    return fields.every((f) => typeof f === "string" && f.length > 0) ? (flow as Flow) : null;
  } catch {
    return null;
  }
}

/** The provider's sign-in page with fresh PKCE verifier, state and nonce, and the cookie that remembers them. */
export async function beginSignIn(request: Request, redirectTo: string): Promise<{ location: string; cookie: string }> {
  const config = await providerConfig();
  const flow: Flow = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    redirectTo,
  };
  const location = client.buildAuthorizationUrl(config, {
    redirect_uri: publicUrl(SSO_CALLBACK_PATH),
    scope: env().OIDC_SCOPES,
    code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
    ui_locales: "de",
  });
  const value = Buffer.from(JSON.stringify(flow)).toString("base64url");
  return { location: location.href, cookie: flowCookie(request, value, FLOW_SECONDS) };
}

export interface ProviderSignIn {
  issuer: string;
  subject: string;
  /** The ID token's claims, completed by the UserInfo endpoint's (groups and profile often come from there). */
  claims: Record<string, unknown>;
  idToken: string;
  redirectTo: string;
}

const FAILED = "Die Anmeldung über die Organisation konnte nicht bestätigt werden. Bitte versuche es noch einmal.";

/**
 * The callback: checks state (against the flow cookie), exchanges the code with the PKCE verifier and checks the ID
 * token with its nonce. Every failure is the same German refusal (400); what went wrong is logged without any token.
 */
export async function finishSignIn(request: Request): Promise<ProviderSignIn> {
  const url = new URL(request.url);
  const params = url.searchParams;
  if (params.get("error") === "access_denied")
    throw new InputError("form", "Die Anmeldung bei der Organisation wurde abgebrochen.");
  if (params.has("error")) throw new InputError("form", FAILED);
  if (!params.get("code") || !params.get("state"))
    throw new InputError("form", "Der Rückweg von der Anmeldung ist unvollständig. Bitte melde dich noch einmal an.");
  const flow = readFlow(request.headers.get("Cookie"));
  if (!flow)
    throw new InputError(
      "form",
      "Die Anmeldung ist abgelaufen oder wurde in einem anderen Browser begonnen. Bitte melde dich noch einmal an.",
    );
  if (params.get("state") !== flow.state) throw new InputError("form", FAILED);

  const config = await providerConfig();
  try {
    // The provider answered PUBLIC_URL's callback; behind a proxy request.url may name another host.
    const current = new URL(SSO_CALLBACK_PATH + url.search, env().PUBLIC_URL);
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims || !tokens.id_token) throw new Error("no ID token");
    let claims: Record<string, unknown> = { ...idClaims };
    if (config.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...info, ...idClaims };
    }
    return {
      issuer: idClaims.iss,
      subject: idClaims.sub,
      claims,
      idToken: tokens.id_token,
      redirectTo: flow.redirectTo,
    };
  } catch (error) {
    // The library's error names and codes say what failed; they carry no token or personal data.
    const e = error as { name?: string; code?: string; error?: string };
    console.warn(`OIDC: Anmeldung abgelehnt (${[e.name, e.code, e.error].filter(Boolean).join(", ")})`);
    throw new InputError("form", FAILED);
  }
}

/** The provider's end-session address for this ID token, or null when it offers none (or cannot be reached). */
export async function endSessionUrl(idToken: string): Promise<string | null> {
  const config = await providerConfig().catch(() => null);
  if (!config?.serverMetadata().end_session_endpoint) return null;
  return client.buildEndSessionUrl(config, {
    id_token_hint: idToken,
    post_logout_redirect_uri: publicUrl(LOGGED_OUT_PATH),
  }).href;
}
