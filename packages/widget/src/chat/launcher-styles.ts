// The launcher's styles, applied as a constructable stylesheet: no <style>
// element and no style attribute, so a strict style-src CSP allows them.
// Dark only when the page is dark (data-scheme, set from the theme attribute or the page), never from the OS alone.
const dark = (host: string) => `
${host} { --parley-launcher-accent: var(--parley-color-accent, #93c5fd); --parley-launcher-on-accent: var(--parley-color-on-accent, #111827); }
${host} [part='launcher']:focus-visible { outline-color: #f9fafb; }`;

export const LAUNCHER_CSS = `
:host {
  --parley-launcher-accent: var(--parley-color-accent, #1d4ed8);
  --parley-launcher-on-accent: var(--parley-color-on-accent, #ffffff);
  /* !important here beats the host page's own rules for our element (e.g. * { all: unset }). */
  position: fixed !important;
  inset-block-end: 16px !important;
  inset-inline-end: 16px !important;
  z-index: 2147483000 !important;
  display: flex !important;
  flex-direction: column;
  align-items: flex-end;
  gap: 12px;
  font: 15px/1.4 system-ui, sans-serif;
}
:host([hidden]) { display: none !important; }
[part='launcher'] {
  all: revert;
  display: inline-flex;
  align-items: center;
  gap: 8px;
  border: 0;
  border-radius: 999px;
  padding: 12px 18px;
  font: inherit;
  font-weight: 600;
  background: var(--parley-launcher-accent);
  color: var(--parley-launcher-on-accent);
  cursor: pointer;
  box-shadow: 0 4px 14px rgb(0 0 0 / 0.25);
}
[part='launcher']:focus-visible { outline: 3px solid #111827; outline-offset: 3px; }
[part='unread'] {
  min-inline-size: 1.4em;
  padding: 0 6px;
  border-radius: 999px;
  background: #b91c1c;
  color: #ffffff;
  font-size: 0.85em;
  text-align: center;
}
[part='unread'][hidden] { display: none; }
@media (max-width: 480px) {
  :host([open]) [part='launcher'] { display: none; }
}
${dark(`:host([data-scheme='dark'])`)}
@media (prefers-color-scheme: dark) {
  ${dark(`:host([data-scheme='auto'])`)}
}
`;
