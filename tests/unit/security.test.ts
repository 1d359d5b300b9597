import { describe, expect, it } from "vitest";
import type { IncomingMessage } from "node:http";
import { isSameOrigin, socketOriginAllowed } from "../../server/security.ts";
import { readSessionToken, safeRedirect } from "../../app/auth/session.server.ts";
import { generateToken, hashToken } from "../../app/models/accounts/tokens.server.ts";

describe("isSameOrigin", () => {
  it("accepts the host the request was sent to and PUBLIC_URL's origin", () => {
    expect(isSameOrigin("http://localhost:3000", "localhost:3000")).toBe(true);
    expect(isSameOrigin("https://netz.example.org", "127.0.0.1:3000", "https://netz.example.org")).toBe(true);
  });

  it("refuses missing, null, foreign, malformed and non-http origins", () => {
    expect(isSameOrigin(undefined, "localhost:3000")).toBe(false);
    expect(isSameOrigin("null", "localhost:3000")).toBe(false);
    expect(isSameOrigin("http://evil.example", "localhost:3000")).toBe(false);
    expect(isSameOrigin("http://localhost:3001", "localhost:3000")).toBe(false);
    expect(isSameOrigin("not a url", "localhost:3000")).toBe(false);
    expect(isSameOrigin("ftp://localhost:3000", "localhost:3000")).toBe(false);
    expect(isSameOrigin("https://evil.example", "localhost:3000", "https://netz.example.org")).toBe(false);
  });
});

describe("socketOriginAllowed", () => {
  const req = (headers: Record<string, string>) =>
    ({ headers: { host: "localhost:3000", ...headers } }) as unknown as IncomingMessage;
  it("accepts a same-origin handshake with or without an Origin header (browsers omit it on same-origin GET)", () => {
    expect(socketOriginAllowed(req({ origin: "http://localhost:3000" }))).toBe(true);
    expect(socketOriginAllowed(req({ "sec-fetch-site": "same-origin" }))).toBe(true);
  });
  it("refuses foreign origins and requests that prove nothing", () => {
    expect(socketOriginAllowed(req({ origin: "http://evil.example" }))).toBe(false);
    expect(socketOriginAllowed(req({ origin: "http://evil.example", "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(socketOriginAllowed(req({ "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(socketOriginAllowed(req({}))).toBe(false);
  });
});

describe("session tokens", () => {
  it("are 32 base32 characters with 160 random bits and hash to 64 hex characters", () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).toMatch(/^[a-z2-7]{32}$/);
    expect(a).not.toBe(b);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).toBe(hashToken(a));
  });

  it("are read from the cookie header only when well-formed", () => {
    const token = generateToken();
    expect(readSessionToken(`theme=dark; lbn_session=${token}; other=1`)).toBe(token);
    expect(readSessionToken("lbn_session=../../etc")).toBeNull();
    expect(readSessionToken(null)).toBeNull();
    expect(readSessionToken("foo=bar")).toBeNull();
  });
});

describe("safeRedirect", () => {
  it("keeps paths on this site and sends everything else to the fallback", () => {
    expect(safeRedirect("/einstellungen?x=1")).toBe("/einstellungen?x=1");
    expect(safeRedirect("//evil.example")).toBe("/");
    expect(safeRedirect("/\\evil.example")).toBe("/");
    expect(safeRedirect("https://evil.example")).toBe("/");
    expect(safeRedirect(null, "/start")).toBe("/start");
  });

  // Each of these leaves the site in some browser or URL parser, or breaks a header (CR/LF).
  const hostile = [
    "//evil.example",
    "///evil.example",
    "////evil.example/x",
    "/\\evil.example",
    "\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example/x",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\u0000/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/%2F%2Fevil.example".replace(/%2F/g, "/"), // after one decoding by the query string
    decodeURIComponent("%2F%09%2Fevil.example%2Fx"),
    decodeURIComponent("%2F%5Cevil.example"),
    decodeURIComponent("%2F%5C%5Cevil.example"),
    "/.//evil.example",
    "/./\\evil.example",
    "/../\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.example",
    "http:evil.example",
    "https:/evil.example",
    "evil.example",
    "@evil.example",
    "",
    "/\u0085/evil.example",
  ];

  it.each(hostile.map((t) => [JSON.stringify(t), t]))("sends %s to the start page", (_, target) => {
    expect(safeRedirect(target)).toBe("/");
  });

  it("returns only targets that a browser resolves to this site, and never a control character", () => {
    const base = "https://netz.example.org/anmelden";
    const corpus = [
      ...hostile,
      "/",
      "/mitglieder?q=a b",
      "/a/../b",
      "/themen/%2F%2Fx",
      "/x#//evil.example",
      "/ü?x=%0A",
      "/a//b",
      "/a\\b",
    ];
    for (const target of corpus) {
      const result = safeRedirect(target);
      expect(new URL(result, base).origin, target).toBe("https://netz.example.org");
      expect(result, target).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(result.startsWith("/") && !/^\/[/\\]/.test(result), target).toBe(true);
    }
    // Same-site targets keep their path, query and fragment (percent-encoded where a header needs it).
    expect(safeRedirect("/diskussionen?schlagwort=a%20b#antwort-3")).toBe("/diskussionen?schlagwort=a%20b#antwort-3");
    expect(safeRedirect("/a/../fallberatung")).toBe("/fallberatung");
    expect(safeRedirect("/mitglieder?q=ü")).toBe("/mitglieder?q=%C3%BC");
    expect(safeRedirect("/themen/%2F%2Fx")).toBe("/themen/%2F%2Fx");
  });
});
