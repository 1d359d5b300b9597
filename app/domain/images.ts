/**
 * Pictures in posts and materials: which renditions exist and how an <img> names them. Shared by the rich-text
 * schema (server renderer and browser editor), the upload processing and the serving route. Browser-safe.
 */

/** Widths of the stored JPEG renditions; a smaller picture gets its own width as the largest rendition. */
export const IMAGE_WIDTHS = [480, 960, 1600] as const;
export const MAX_IMAGE_WIDTH = IMAGE_WIDTHS[IMAGE_WIDTHS.length - 1];
/** Longest alternative text (a description, not an essay: longer ones belong into the post). */
export const MAX_ALT_CHARS = 500;
/** Pictures per post or material description. */
export const MAX_IMAGES_PER_DOC = 20;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/** The only `src` an image node may carry: a picture of this site, never another host. */
export const IMAGE_SRC = new RegExp(`^/bilder/(${UUID})$`);

/** The id of one of our pictures from an image node's `src`, or null for anything else. */
export function imageIdOf(src: unknown): string | null {
  if (typeof src !== "string") return null;
  const match = IMAGE_SRC.exec(src);
  return match ? match[1] : null;
}

export function imageSrc(id: string): string {
  return `/bilder/${id}`;
}

/** The widths stored for a picture whose largest rendition is `width` pixels wide. */
export function renditionWidths(width: number): number[] {
  const largest = Math.min(width, MAX_IMAGE_WIDTH);
  return [...IMAGE_WIDTHS.filter((w) => w < largest), largest];
}

export function renditionPath(id: string, width: number): string {
  return `/bilder/${id}/${width}.jpg`;
}

/** `sizes` of a picture in a post: the column is at most about 46rem wide (see posts.css), on phones the screen. */
export const IMAGE_SIZES = "(min-width: 50rem) 46rem, 100vw";

/** The attributes of the rendered <img> (besides alt): a fitting default, all renditions, and the intrinsic size. */
export function imageAttributes(id: string, width: number, height: number): Record<string, string> {
  const widths = renditionWidths(width);
  const fallback = widths.find((w) => w >= 960) ?? widths[widths.length - 1];
  return {
    src: renditionPath(id, fallback),
    srcset: widths.map((w) => `${renditionPath(id, w)} ${w}w`).join(", "),
    sizes: IMAGE_SIZES,
    width: String(width),
    height: String(height),
    loading: "lazy",
    decoding: "async",
  };
}
