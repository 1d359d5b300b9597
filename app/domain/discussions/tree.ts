import { MAX_VISIBLE_DEPTH } from "./types.ts";

export interface TreeInput {
  id: string;
  parentId: string | null;
  createdAt: string | Date;
}

export type TreeNode<T extends TreeInput> = T & {
  children: TreeNode<T>[];
  /** Indentation level (1 for direct replies to the thread), capped at MAX_VISIBLE_DEPTH. */
  visibleDepth: number;
  /** Set when the reply is deeper than the cap: the id of the post it answers, to name it. */
  answersId: string | null;
  /** Number of posts below this one. */
  descendants: number;
};

/**
 * Builds the reply tree under the opening post: siblings oldest first. Orphans (a parent that is missing from the
 * list) hang under the root, so a reply is never lost from view.
 */
export function buildReplyTree<T extends TreeInput>(posts: T[], rootId: string): TreeNode<T>[] {
  const nodes = new Map<string, TreeNode<T>>();
  for (const p of posts) {
    if (p.id === rootId) continue;
    nodes.set(p.id, { ...p, children: [], visibleDepth: 1, answersId: null, descendants: 0 });
  }
  const top: TreeNode<T>[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId && node.parentId !== rootId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : top).push(node);
  }
  const times = new Map<string, number>();
  for (const p of posts) times.set(p.id, typeof p.createdAt === "string" ? Date.parse(p.createdAt) : p.createdAt.getTime());
  const time = (n: TreeInput) => times.get(n.id) ?? 0;
  const walk = (list: TreeNode<T>[], depth: number, parentId: string | null): number => {
    list.sort((a, b) => time(a) - time(b));
    let count = 0;
    for (const node of list) {
      node.visibleDepth = Math.min(depth, MAX_VISIBLE_DEPTH);
      node.answersId = depth > MAX_VISIBLE_DEPTH ? parentId : null;
      node.descendants = walk(node.children, depth + 1, node.id);
      count += 1 + node.descendants;
    }
    return count;
  };
  walk(top, 1, null);
  return top;
}
