import { describe, expect, it, test } from "vitest";
import { tagList } from "../../app/schemas/taxonomy.ts";

test("tags keep the spelling typed; the same tag in another case, a leading # or spaces is dropped", () => {
  expect(tagList.parse("eAkte, #KI; Lernen in der Arbeit, eakte,  #ki ,")).toEqual([
    "eAkte",
    "KI",
    "Lernen in der Arbeit",
  ]);
  expect(tagList.parse(undefined)).toEqual([]);
  expect(tagList.safeParse("a,b,c,d,e,f,g,h,i").success).toBe(false);
});

describe("labels of the tagging model and the profile", () => {
  it("every word longer than a chip on a phone (20 letters) carries a soft hyphen where it may break", async () => {
    const taxonomy = await import("../../app/domain/taxonomy.ts");
    const accounts = await import("../../app/domain/accounts.ts");
    const maps = [
      taxonomy.ilbSteps,
      taxonomy.competenceAreas,
      taxonomy.audiences,
      taxonomy.legalDomainTags,
      accounts.legalDomainLabels,
      accounts.roleLabels,
    ];
    const labels = maps.flatMap((map) => Object.values(map) as string[]);
    const long = labels
      .flatMap((label) => label.split(/\s+/))
      .filter((word) => word.replace(/\u00AD/g, "").length > 20);
    expect(long.length).toBeGreaterThan(0);
    for (const word of long) expect(word, word).toContain("\u00AD");
  });
});
