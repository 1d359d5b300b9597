import {
  AVATAR_DISPLAY,
  colourIndex,
  initials,
  pictureUrl,
  type AvatarSize,
  type Face,
} from "../domain/avatars/avatars.ts";

/**
 * A member's face: their picture (fixed size, lazy) or their initials on their colour; a plain disc for `null`
 * (anonymous, former member). Decorative, because the name always stands beside it: the initials are drawn by CSS from
 * `data-initials`, so they are not part of the text (a heading's text stays the name). The same markup as avatarHtml in
 * discussions/threadHtml.ts, which builds it for the thread page's server-built HTML.
 */
export function Avatar({ face, size = "m" }: { face: Face | null; size?: AvatarSize }) {
  if (!face) return <span className={`avatar avatar--${size} avatar--none`} aria-hidden="true" />;
  const d = AVATAR_DISPLAY[size];
  if (face.picture) {
    return (
      <img
        className={`avatar avatar--${size}`}
        src={pictureUrl(face, d.src)}
        srcSet={`${pictureUrl(face, d.src2x)} 2x`}
        width={d.css}
        height={d.css}
        alt=""
        loading="lazy"
        decoding="async"
      />
    );
  }
  return (
    <span
      className={`avatar avatar--${size} avatar--c${colourIndex(face.id)}`}
      data-initials={initials(face.name)}
      aria-hidden="true"
    />
  );
}

/** A name with the face in front of it. */
export function Person({
  face,
  size = "s",
  children,
}: {
  face: Face | null;
  size?: AvatarSize;
  children: React.ReactNode;
}) {
  return (
    <span className="person">
      <Avatar face={face} size={size} />
      <span>{children}</span>
    </span>
  );
}
