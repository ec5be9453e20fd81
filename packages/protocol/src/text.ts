// Characters that show nothing on their own: white space, default-ignorable code points (zero-width
// spaces and joiners, Hangul fillers, bidi and variation marks, tags), other format and control
// characters, and the Braille blank, which fonts draw as an empty cell.
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Z}\u2800]*$/u;

/** True when a text would show nothing: a message must have at least one visible character. */
export function isBlankText(text: string): boolean {
  return INVISIBLE_ONLY.test(text);
}
