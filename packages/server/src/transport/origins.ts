/**
 * The customer-socket origin allow-list. The service's own origin is always
 * allowed (the demo and same-site embeds); `*` allows every page. A socket
 * without an Origin header is not a browser page and is allowed (SDK in Node).
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
