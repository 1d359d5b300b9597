import { describe, expect, it } from "vitest";
import { can } from "../../app/auth/permissions.ts";
import { describeAudit } from "../../app/domain/audit.ts";
import { formatShown, shown } from "../../app/domain/insights.ts";
import { siteSettingsSchema } from "../../app/schemas/moderation.ts";

describe("the desk's rules", () => {
  it("only admins deactivate accounts, never their own", () => {
    const admin = { id: "a", role: "admin" as const };
    expect(can(admin, "deactivate", { type: "user", id: "m" })).toBe(true);
    expect(can(admin, "deactivate", { type: "user", id: "a" })).toBe(false);
    expect(can({ id: "mod", role: "moderator" }, "deactivate", { type: "user", id: "m" })).toBe(false);
    expect(can({ ...admin, deactivated: true }, "deactivate", { type: "user", id: "m" })).toBe(false);
  });

  it("holds back figures that describe fewer than five people, and shows zero", () => {
    expect(shown(12, 5)).toBe(12);
    expect(shown(12, 4)).toBeNull();
    expect(shown(4)).toBeNull();
    expect(shown(5)).toBe(5);
    expect(shown(0, 0)).toBe(0);
    expect(formatShown(null)).toBe("weniger als 5");
    expect(formatShown(1234)).toBe("1.234");
  });

  it("describes audit entries in German, with the subject's name when it still exists", () => {
    const entry = (action: string, details: Record<string, unknown> = {}, subjectName: string | null = null) =>
      describeAudit({ action, subjectType: "x", details, subjectName });
    expect(entry("user.changeRole", { from: "member", to: "admin" }, "Jonas Wagner")).toBe(
      "Rolle von „Jonas Wagner“ geändert: Mitglied → Administration",
    );
    expect(entry("user.deactivate")).toBe("Konto von einem Mitglied deaktiviert (alle Anmeldungen beendet)");
    expect(entry("material.published", { from: "review" }, "OnePager")).toBe("Material veröffentlicht: „OnePager“");
    expect(entry("settings.update", { changed: ["siteName", "openRegistration"] })).toBe(
      "Einstellungen der Website geändert: Name der Website, offene Registrierung",
    );
    expect(entry("thread.lock", { locked: true }, "Frage")).toBe("Diskussion geschlossen: „Frage“");
    expect(entry("material.reviewed", { nextDue: "2027-11-21" }, "Leitfaden")).toBe(
      "Material geprüft: „Leitfaden“ (nächste Prüfung bis 21.11.2027)",
    );
    expect(entry("round.update", { changed: ["startsAt", "capacity", "agenda"] }, "KI im Alltag")).toBe(
      "Dialogrunde geändert: „KI im Alltag“ (Beginn, Plätze, Tagesordnung)",
    );
    expect(entry("round.cancel")).toBe("Dialogrunde abgesagt: eine Dialogrunde");
    expect(entry("feedback.handle")).toBe("Rückmeldung zur Barrierefreiheit als beantwortet markiert");
    // An action without a sentence yet still reads as something.
    expect(entry("round.archive")).toBe("Dialogrunden: round.archive");
    expect(entry("widget.spin")).toBe("Aktion: widget.spin");
  });

  it("reads the settings form: a ticked box is on, a missing one is off, names are trimmed and bounded", () => {
    expect(siteSettingsSchema.parse({ siteName: "  Netz  ", welcomeText: "", openRegistration: "on" })).toEqual({
      siteName: "Netz",
      welcomeText: "",
      openRegistration: true,
    });
    expect(siteSettingsSchema.parse({ siteName: "Netz" })).toEqual({
      siteName: "Netz",
      welcomeText: "",
      openRegistration: false,
    });
    expect(siteSettingsSchema.safeParse({ siteName: "x".repeat(81) }).success).toBe(false);
  });
});
