import { expect, test } from "vitest";
import { tagList } from "../../app/schemas/taxonomy.ts";

test("tags keep the spelling typed; the same tag in another case, a leading # or spaces is dropped", () => {
  expect(tagList.parse("eAkte, #KI; Lernen in der Arbeit, eakte,  #ki ,")).toEqual(["eAkte", "KI", "Lernen in der Arbeit"]);
  expect(tagList.parse(undefined)).toEqual([]);
  expect(tagList.safeParse("a,b,c,d,e,f,g,h,i").success).toBe(false);
});
