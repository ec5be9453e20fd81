import { ar } from './ar.js';
import { en } from './en.js';
import { fr } from './fr.js';
import type { WidgetStrings } from './strings.js';

const TABLES: Record<string, Partial<WidgetStrings>> = { en, fr, ar };
const RIGHT_TO_LEFT = new Set(['ar', 'he', 'fa', 'ur']);

export interface Locale {
  lang: string;
  dir: 'ltr' | 'rtl';
  strings: WidgetStrings;
}

/**
 * The locale from the element's `locale` attribute, else the page's `lang`,
 * else the browser's; unknown languages fall back to English, entry by entry.
 */
export function resolveLocale(requested: string | undefined, extra: Record<string, Partial<WidgetStrings>> = {}): Locale {
  const candidates = [requested, document.documentElement.lang, navigator.language].filter(Boolean) as string[];
  const tables = { ...TABLES, ...extra };
  const lang = candidates.map((tag) => tag.toLowerCase().split('-')[0]!).find((code) => code in tables) ?? 'en';
  return { lang, dir: RIGHT_TO_LEFT.has(lang) ? 'rtl' : 'ltr', strings: { ...en, ...tables[lang] } };
}
