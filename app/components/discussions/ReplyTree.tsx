import { buildReplyTree, type TreeNode } from "../../domain/discussions/tree.ts";
import type { RichDoc } from "../../domain/richtext/types.ts";
import { PostCard, type PostViewData } from "./PostCard.tsx";
import { ReplyForm } from "./ReplyForm.tsx";

type FormProps = (parentId: string | null) => { initialDoc: RichDoc | null; initialText?: string; error?: string };

/**
 * The reply tree, indented to depth 6. Each sub-tree sits in an open <details>, so it collapses and expands with
 * the keyboard and without JavaScript; a permalink into a collapsed sub-tree opens it (browsers do that for #targets).
 */
export function ReplyTree(props: {
  replies: PostViewData[];
  threadId: string;
  acceptedPostId: string | null;
  canAccept: boolean;
  canReply: boolean;
  moderate: boolean;
  replyTo: string | null;
  formProps: FormProps;
}) {
  const names = new Map(props.replies.map((r) => [r.id, r.author?.name ?? (r.own ? "dich" : r.anonymous ? "ein anonymes Mitglied" : "ein ehemaliges Mitglied")]));
  const tree = buildReplyTree(props.replies, "");
  if (tree.length === 0) return <p className="empty">Noch keine Antworten. Teile deine Erfahrung!</p>;
  return <ol className="reply-list">{tree.map((node) => <Branch key={node.id} node={node} names={names} {...props} />)}</ol>;
}

function Branch({
  node,
  names,
  ...props
}: Parameters<typeof ReplyTree>[0] & { node: TreeNode<PostViewData>; names: Map<string, string> }) {
  return (
    <li className={`reply reply--depth-${node.visibleDepth}`}>
      <PostCard
        post={node}
        threadId={props.threadId}
        heading="h3"
        answersName={node.answersId ? names.get(node.answersId) : null}
        isAnswer={props.acceptedPostId === node.id}
        canAccept={props.canAccept && !node.removed}
        canReply={props.canReply && !node.removed}
        moderate={props.moderate}
      >
        {props.replyTo === node.id ? (
          <ReplyForm threadId={props.threadId} parentId={node.id} parentLabel={names.get(node.id)} autoFocus {...props.formProps(node.id)} />
        ) : null}
      </PostCard>
      {node.children.length > 0 ? (
        <details open className="reply__children">
          <summary>
            {node.descendants} {node.descendants === 1 ? "Antwort" : "Antworten"} auf diesen Beitrag
          </summary>
          <ol className="reply-list">
            {node.children.map((child) => (
              <Branch key={child.id} node={child} names={names} {...props} />
            ))}
          </ol>
        </details>
      ) : null}
    </li>
  );
}
