import { MAX_VISIBLE_DEPTH } from "./types.ts";

export interface TreeInput {
  id: string;
  parentId: string | null;
  createdAt: string | Date;
}

export interface TreeNode<T extends TreeInput> {
  post: T;
  children: TreeNode<T>[];
  /** Indentation level (1 for direct replies to the thread), capped at MAX_VISIBLE_DEPTH. */
  visibleDepth: number;
  /** Set when the reply is deeper than the cap: the id of the post it answers, to name it. */
  answersId: string | null;
  /** Number of posts below this one. */
  descendants: number;
}

const timeOf = (p: TreeInput) => (typeof p.createdAt === "string" ? Date.parse(p.createdAt) : p.createdAt.getTime());

/**
 * Builds the reply tree under the opening post: siblings oldest first. Orphans (a parent that is missing from the
 * list) hang under the root, so a reply is never lost from view. Posts usually arrive oldest first already; then
 * the siblings need no sorting. (Runs on every thread view, hence no copies of the posts.)
 */
export function buildReplyTree<T extends TreeInput>(posts: T[], rootId: string): TreeNode<T>[] {
  const nodes = new Map<string, TreeNode<T>>();
  let ordered = true;
  for (let i = 0; i < posts.length; i++) {
    const p = posts[i];
    if (i > 0 && timeOf(posts[i - 1]) > timeOf(p)) ordered = false;
    if (p.id !== rootId) nodes.set(p.id, { post: p, children: [], visibleDepth: 1, answersId: null, descendants: 0 });
  }
  const top: TreeNode<T>[] = [];
  for (const node of nodes.values()) {
    const parentId = node.post.parentId;
    const parent = parentId && parentId !== rootId ? nodes.get(parentId) : undefined;
    (parent ? parent.children : top).push(node);
  }
  const walk = (list: TreeNode<T>[], depth: number, parentId: string | null): number => {
    if (!ordered) list.sort((a, b) => timeOf(a.post) - timeOf(b.post));
    let count = 0;
    for (const node of list) {
      node.visibleDepth = depth < MAX_VISIBLE_DEPTH ? depth : MAX_VISIBLE_DEPTH;
      node.answersId = depth > MAX_VISIBLE_DEPTH ? parentId : null;
      node.descendants = walk(node.children, depth + 1, node.post.id);
      count += 1 + node.descendants;
    }
    return count;
  };
  walk(top, 1, null);
  return top;
}
