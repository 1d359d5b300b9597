/** Configuration of the organisation's sign-in and its pure rules: roles from groups, names and handles (ADR 040). */
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../app/env.server.ts";
import { handleBase, nameFromClaims, roleFromClaims } from "../../app/models/accounts/identities.server.ts";

const complete = {
  PUBLIC_URL: "https://netzwerk.example.org",
  OIDC_ISSUER: "https://login.example.org/realms/netzwerk",
  OIDC_CLIENT_ID: "netzwerk",
  OIDC_CLIENT_SECRET: "geheim",
};

function problems(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("OIDC configuration", () => {
  it("is off by default and takes lists of groups", () => {
    expect(parseEnv({})).toMatchObject({
      OIDC_PASSWORD_LOGIN: true,
      OIDC_NAME_CLAIM: "name",
      OIDC_GROUPS_CLAIM: "groups",
      OIDC_ADMIN_GROUPS: [],
    });
    const env = parseEnv({ ...complete, OIDC_ADMIN_GROUPS: " netzwerk-admins , it ,", OIDC_PASSWORD_LOGIN: "false" });
    expect(env.OIDC_ADMIN_GROUPS).toEqual(["netzwerk-admins", "it"]);
    expect(env.OIDC_PASSWORD_LOGIN).toBe(false);
  });

  it.each([
    [
      { OIDC_ISSUER: complete.OIDC_ISSUER },
      [
        "OIDC_CLIENT_ID: OIDC_CLIENT_ID fehlt (nötig, weil OIDC_ISSUER gesetzt ist)",
        "OIDC_CLIENT_SECRET: OIDC_CLIENT_SECRET fehlt (nötig, weil OIDC_ISSUER gesetzt ist)",
        "PUBLIC_URL: PUBLIC_URL fehlt (nötig für die Rückkehr von der Anmeldung der Organisation)",
      ],
    ],
    [
      { ...complete, OIDC_ISSUER: "http://login.example.org" },
      ["OIDC_ISSUER: OIDC_ISSUER muss mit https:// beginnen (http:// nur für localhost)"],
    ],
    [
      { OIDC_PASSWORD_LOGIN: "false" },
      ["OIDC_PASSWORD_LOGIN: OIDC_PASSWORD_LOGIN=false braucht OIDC_ISSUER, sonst kann sich niemand anmelden"],
    ],
    [{ OIDC_CLIENT_ID: "netzwerk" }, ["OIDC_CLIENT_ID: OIDC_CLIENT_ID ist gesetzt, aber OIDC_ISSUER fehlt"]],
    [{ ...complete, OIDC_SCOPES: "email profile" }, ["OIDC_SCOPES: OIDC_SCOPES muss „openid“ enthalten"]],
  ])("stops the start with a German message (%o)", (source, expected) => {
    expect(problems(source)).toEqual(expected);
  });

  it("allows http for a provider on this machine", () => {
    expect(parseEnv({ ...complete, OIDC_ISSUER: "http://127.0.0.1:8080" }).OIDC_ISSUER).toBe("http://127.0.0.1:8080");
  });
});

describe("roles from groups", () => {
  const mapping = { groupsClaim: "groups", adminGroups: ["admins"], moderatorGroups: ["team", "moderation"] };
  it.each([
    [{ groups: ["team", "admins"] }, "admin"],
    [{ groups: ["kantine", "moderation"] }, "moderator"],
    [{ groups: "team" }, "moderator"],
    [{ groups: ["kantine"] }, "member"],
    [{ groups: [] }, "member"],
    [{}, "member"],
    [{ groups: [{ name: "admins" }, 7] }, "member"],
    [{ roles: ["admins"] }, "member"],
  ])("%o → %s", (claims, role) => {
    expect(roleFromClaims(claims, mapping)).toBe(role);
  });
});

describe("names and handles", () => {
  it("takes the configured claim, then given and family name, then the user name", () => {
    expect(nameFromClaims({ name: " Anna Schmidt ", given_name: "A" }, "name")).toBe("Anna Schmidt");
    expect(nameFromClaims({ displayName: "Anna S.", name: "x" }, "displayName")).toBe("Anna S.");
    expect(nameFromClaims({ given_name: "Jörg", family_name: "Maaß" }, "name")).toBe("Jörg Maaß");
    expect(nameFromClaims({ preferred_username: "jmaass" }, "name")).toBe("jmaass");
    expect(nameFromClaims({ email: "jm@example.org" }, "name")).toBe("jm");
    expect(nameFromClaims({ name: "x".repeat(200) }, "name")).toHaveLength(80);
  });

  it("spells umlauts out and keeps handles within the rules", () => {
    expect(handleBase("Jörg Maaß-Übel")).toBe("joerg-maass-uebel");
    expect(handleBase("Zoë Çelik")).toBe("zoe-celik");
    expect(handleBase("李")).toBe("mitglied");
    expect(handleBase("A very long name with many many words")).toMatch(/^[a-z0-9][a-z0-9_-]{2,23}$/);
    expect(handleBase("A very long name with many many words").endsWith("-")).toBe(false);
  });
});
