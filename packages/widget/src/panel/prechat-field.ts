/** A pre-chat form field (C3), configured with the `prechat-fields` attribute as JSON. */
export interface PrechatField {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'tel';
  required?: boolean;
}

export const DEFAULT_PRECHAT_FIELDS: readonly PrechatField[] = [{ name: 'name', label: 'Name', type: 'text', required: true }];

/** Reads the attribute; anything malformed falls back to the default, with a warning for the site's developer. */
export function parsePrechatFields(value: string | null): PrechatField[] {
  if (!value) return [...DEFAULT_PRECHAT_FIELDS];
  try {
    const parsed = JSON.parse(value) as unknown;
    if (Array.isArray(parsed) && parsed.every((field) => typeof field?.name === 'string' && /^[\w.:@-]{1,64}$/.test(field.name) && typeof field.label === 'string')) {
      return parsed as PrechatField[];
    }
  } catch {
    // fall through
  }
  console.warn('[parley] prechat-fields must be a JSON array of {name, label, type?, required?}; using the default.');
  return [...DEFAULT_PRECHAT_FIELDS];
}
