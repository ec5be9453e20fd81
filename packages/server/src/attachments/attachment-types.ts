import { fileTypeFromBuffer } from 'file-type';

/**
 * I2: what may be attached by default. Each is recognised by its first bytes (`file-type`), so a
 * file's name never decides its type: an executable renamed `.png` is an executable. SVG is not
 * here and cannot be added: it is text (no magic bytes to check) and may carry script.
 */
export const DEFAULT_ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const;

/**
 * The types a browser may show inline (`Content-Disposition: inline`): raster images only, which
 * run no script. Everything else is served as a download, whatever is allowed.
 */
export const INLINE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

/** Media types no configuration may allow: they run script when a browser opens them. */
export const NEVER_ALLOWED_TYPES: ReadonlySet<string> = new Set(['image/svg+xml', 'text/html', 'application/xhtml+xml', 'application/xml', 'text/xml', 'application/javascript', 'text/javascript']);

/** The media type the content says it is, or undefined when its first bytes match no known format. */
export async function sniffType(bytes: Uint8Array): Promise<string | undefined> {
  return (await fileTypeFromBuffer(bytes))?.mime;
}
