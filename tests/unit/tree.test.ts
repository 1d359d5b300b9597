import { describe, expect, it } from "vitest";
import { buildReplyTree } from "../../app/domain/discussions/tree.ts";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));

describe("buildReplyTree", () => {
  it("nests replies under what they answer, oldest first, and counts descendants", () => {
    const tree = buildReplyTree(
      [
        { id: "root", parentId: null, createdAt: at(0) },
        { id: "b", parentId: "root", createdAt: at(2) },
        { id: "a", parentId: "root", createdAt: at(1) },
        { id: "a1", parentId: "a", createdAt: at(3) },
        { id: "orphan", parentId: "gone", createdAt: at(4) },
      ],
      "root",
    );
    expect(tree.map((n) => n.post.id)).toEqual(["a", "b", "orphan"]);
    expect(tree[0].children.map((n) => n.post.id)).toEqual(["a1"]);
    expect(tree[0].descendants).toBe(1);
    expect(tree[0].children[0].visibleDepth).toBe(2);
  });

  it("stops indenting at depth 6 and names whom a deeper reply answers", () => {
    const chain: { id: string; parentId: string | null; createdAt: Date }[] = [
      { id: "root", parentId: null, createdAt: at(0) },
    ];
    for (let i = 1; i <= 8; i++)
      chain.push({ id: `p${i}`, parentId: i === 1 ? "root" : `p${i - 1}`, createdAt: at(i) });
    let node = buildReplyTree(chain, "root")[0];
    const seen: [number, string | null][] = [];
    while (node) {
      seen.push([node.visibleDepth, node.answersId]);
      node = node.children[0];
    }
    expect(seen).toEqual([
      [1, null],
      [2, null],
      [3, null],
      [4, null],
      [5, null],
      [6, null],
      [6, "p6"],
      [6, "p7"],
    ]);
  });
});
