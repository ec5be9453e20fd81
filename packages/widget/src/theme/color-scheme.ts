/** The widget's `theme` attribute: a fixed scheme, or `auto` to follow the operating system. */
export type Theme = 'light' | 'dark' | 'auto';

/**
 * The scheme the widget draws in: the `theme` attribute when set, else the
 * host page's own (its root `color-scheme` or `<meta name="color-scheme">`).
 * A page that declares nothing is a light page, whatever the operating system
 * prefers: a dark panel on a white shop looks broken.
 */
export function resolveTheme(attribute: string | null | undefined): Theme {
  if (attribute === 'light' || attribute === 'dark' || attribute === 'auto') return attribute;
  const declared = `${getComputedStyle(document.documentElement).colorScheme} ${document.querySelector<HTMLMetaElement>('meta[name="color-scheme"]')?.content ?? ''}`;
  const dark = /\bdark\b/.test(declared);
  const light = /\blight\b/.test(declared);
  if (dark && light) return 'auto';
  return dark ? 'dark' : 'light';
}
