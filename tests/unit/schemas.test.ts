import { describe, expect, it } from "vitest";
import { legalDomains as dbLegalDomains, roles as dbRoles } from "../../db/schema/accounts.ts";
import { legalDomains, loginSchema, profileSchema, registrationSchema, roles } from "../../app/schemas/accounts.ts";
import { parseForm } from "../../app/schemas/form.ts";
import { t } from "../../app/i18n/de.ts";

function form(entries: Record<string, string>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.append(k, v);
  return data;
}

describe("account schemas", () => {
  it("use the same role and Rechtskreis lists as the database", () => {
    expect([...roles]).toEqual([...dbRoles]);
    expect([...legalDomains]).toEqual([...dbLegalDomains]);
  });

  it("require passwords of at least 10 characters, with a German message", () => {
    const result = parseForm(
      registrationSchema,
      form({ displayName: "Kim", handle: "kim", email: "kim@example.org", password: "kurz" }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.password).toBe("Das Passwort muss mindestens 10 Zeichen lang sein.");
    // What the user typed is kept, except the password.
    expect(result.values).toEqual({ displayName: "Kim", handle: "kim", email: "kim@example.org" });
  });

  it("normalises e-mail addresses and rejects bad ones in German", () => {
    const ok = loginSchema.safeParse({ email: "  Kim@Example.ORG ", password: "x" });
    expect(ok.success && ok.data.email).toBe("kim@example.org");
    const bad = parseForm(loginSchema, form({ email: "kim", password: "x" }));
    expect(!bad.ok && bad.errors.email).toBe("Das ist keine gültige E-Mail-Adresse.");
  });

  it("accepts profile basics and maps an empty Rechtskreis to none", () => {
    const result = profileSchema.parse({
      displayName: "Kim Berg",
      handle: "kim-berg",
      legalDomain: "",
      region: " Köln ",
    });
    expect(result).toMatchObject({ legalDomain: null, region: "Köln", roleText: "", bio: "" });
    expect(profileSchema.safeParse({ displayName: "Kim", handle: "Kim Berg!" }).success).toBe(false);
    expect(profileSchema.safeParse({ displayName: "Kim", handle: "kim", legalDomain: "sgb9" }).success).toBe(false);
  });
});

describe("t()", () => {
  it("fills placeholders", () => {
    expect(t("error.generic.title", { status: 418 })).toBe("Fehler 418");
    expect(t("nav.discussions")).toBe("Diskussionen");
  });
});

describe("lists shared with the browser", () => {
  it("match the database's thread types, material types, statuses and search kinds", async () => {
    const db = await import("../../db/schema/index.ts");
    const discussions = await import("../../app/domain/discussions/threadTypes.ts");
    const library = await import("../../app/domain/library/types.ts");
    expect([...discussions.threadTypes]).toEqual([...db.threadTypes]);
    expect([...library.materialTypes]).toEqual([...db.materialTypes]);
    expect([...library.materialStatuses]).toEqual([...db.materialStatuses]);
    const search = await import("../../app/domain/search.ts");
    const engine = await import("../../search/engine.ts");
    expect([...search.searchKinds]).toEqual([...db.searchKinds]);
    expect([...search.timeRanges]).toEqual([...engine.timeRanges]);
  });
});
