import { css } from 'lit';

// The dark scheme: when the page is dark, or with theme="auto" when the OS is (data-scheme).
const darkTokens = css`
  --parley-panel-surface: var(--parley-color-surface, #111827);
  --parley-panel-text: var(--parley-color-text, #f3f4f6);
  --parley-panel-muted: var(--parley-color-muted, #d1d5db);
  --parley-panel-bubble: var(--parley-color-bubble, #1e293b);
  --parley-panel-notice: var(--parley-color-notice, #422006);
  --parley-panel-accent: var(--parley-color-accent, #93c5fd);
  --parley-panel-on-accent: var(--parley-color-on-accent, #111827);
  --parley-panel-danger: var(--parley-color-danger, #fca5a5);
`;

export const parleyChatPanelStyles = css`
  :host {
    --parley-panel-accent: var(--parley-color-accent, #1d4ed8);
    --parley-panel-on-accent: var(--parley-color-on-accent, #ffffff);
    --parley-panel-surface: var(--parley-color-surface, #ffffff);
    --parley-panel-text: var(--parley-color-text, #1f2937);
    --parley-panel-muted: var(--parley-color-muted, #4b5563);
    --parley-panel-bubble: var(--parley-color-bubble, #eef2ff);
    --parley-panel-danger: var(--parley-color-danger, #b91c1c);
    --parley-panel-notice: var(--parley-color-notice, #fef3c7);
    --parley-panel-radius: var(--parley-radius, 12px);
    display: block;
    font: 15px/1.4 system-ui, sans-serif;
    color: var(--parley-panel-text);
  }
  :host([data-scheme='dark']) {
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host([data-scheme='auto']) {
      ${darkTokens}
    }
  }
  [part='panel'] {
    display: flex;
    flex-direction: column;
    inline-size: min(380px, calc(100vw - 32px));
    block-size: min(560px, calc(100vh - 120px));
    border-radius: var(--parley-panel-radius);
    background: var(--parley-panel-surface);
    box-shadow: 0 8px 30px rgb(0 0 0 / 0.25);
    overflow: hidden;
  }
  @media (max-width: 480px) {
    [part='panel'] {
      position: fixed;
      inset: 0;
      inline-size: auto;
      block-size: auto;
      border-radius: 0;
    }
  }
  [part='header'] {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 12px 16px;
    background: var(--parley-panel-accent);
    color: var(--parley-panel-on-accent);
  }
  h2 {
    margin: 0;
    font-size: 1rem;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: 8px;
    border: 1px solid transparent;
    padding: 8px 14px;
    background: var(--parley-panel-accent);
    color: var(--parley-panel-on-accent);
  }
  button.quiet {
    background: transparent;
    color: inherit;
    border-color: currentColor;
  }
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible,
  a:focus-visible,
  [part='attach']:focus-within {
    outline: 3px solid var(--parley-panel-text);
    outline-offset: 2px;
  }
  [part='header'] button:focus-visible {
    outline-color: var(--parley-panel-on-accent);
  }
  [part='body'] {
    flex: 1;
    overflow-y: auto;
    padding: 12px 16px;
  }
  [part='notice'] {
    margin: 0;
    padding: 8px 16px;
    background: var(--parley-panel-notice);
    color: var(--parley-panel-text);
  }
  form {
    display: grid;
    gap: 10px;
  }
  label {
    display: grid;
    gap: 4px;
    font-weight: 600;
  }
  input,
  textarea {
    font: inherit;
    padding: 8px;
    border-radius: 8px;
    border: 1px solid var(--parley-panel-muted);
    background: var(--parley-panel-surface);
    color: var(--parley-panel-text);
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 8px;
  }
  [part~='message'] {
    max-inline-size: 85%;
    padding: 8px 12px;
    border-radius: 12px;
    background: var(--parley-panel-bubble);
    overflow-wrap: anywhere;
  }
  /* Only the message keeps its own line breaks; the template's whitespace must not show. */
  [part='text'] {
    white-space: pre-wrap;
  }
  [part~='message-customer'] {
    justify-self: end;
  }
  [part='author'] {
    display: block;
    font-size: 0.8rem;
    color: var(--parley-panel-muted);
  }
  [part='status'] {
    display: block;
    font-size: 0.8rem;
    color: var(--parley-panel-muted);
  }
  [part~='tick'] {
    display: block;
    text-align: end;
    font-size: 0.75rem;
    color: var(--parley-panel-muted);
  }
  [part~='tick'].read {
    color: var(--parley-panel-accent);
  }
  [part='rating'] fieldset {
    display: flex;
    gap: 4px;
    border: 0;
    padding: 0;
    font-size: 1.6rem;
  }
  [part='rating'] legend {
    font-size: 15px;
    font-weight: 600;
  }
  [part='rating'] fieldset label {
    color: var(--parley-panel-muted);
  }
  [part='rating'] label:has(~ label :checked),
  [part='rating'] label:has(:checked) {
    color: var(--parley-panel-accent);
  }
  [part='rating'] input {
    position: absolute;
    opacity: 0;
  }
  [part='rating'] fieldset label:has(:focus-visible) {
    outline: 3px solid var(--parley-panel-text);
  }
  [part='rating'] textarea {
    box-sizing: border-box;
    inline-size: 100%;
  }
  [part='status'].failed {
    color: var(--parley-panel-danger);
  }
  [part='event'] {
    text-align: center;
    font-size: 0.85rem;
    color: var(--parley-panel-muted);
  }
  [part='composer'] {
    display: flex;
    gap: 8px;
    padding: 12px 16px;
    border-block-start: 1px solid var(--parley-panel-muted);
  }
  [part='composer'] textarea {
    flex: 1;
    resize: none;
  }
  [part='attachment-image'] {
    display: block;
    max-inline-size: 100%;
    max-block-size: 240px;
  }
  [part='uploads'] {
    padding: 8px 16px 0;
  }
  [part='attach'] {
    align-self: center;
    font-size: 1.5rem;
    cursor: pointer;
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin-block-start: 12px;
  }
  a {
    color: inherit;
  }
  [role='alert'] {
    margin: 0;
    padding: 8px 12px;
    border: 1px solid var(--parley-panel-danger);
    border-radius: 8px;
    color: var(--parley-panel-danger);
    background: var(--parley-panel-surface);
    font-weight: 600;
  }
  [role='log']:focus-visible {
    outline: 3px solid var(--parley-panel-text);
    outline-offset: 2px;
  }
  [part='header'] > div {
    display: flex;
    gap: 8px;
  }
  [part='confirm'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin: 0;
    padding: 8px 16px;
    background: var(--parley-panel-notice);
    color: var(--parley-panel-text);
  }
  [part='confirm'] p {
    flex: 1;
    margin: 0;
    font-weight: 600;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: no-preference) {
    [part='panel'] {
      animation: rise 160ms ease-out;
    }
    @keyframes rise {
      from {
        transform: translateY(8px);
        opacity: 0;
      }
    }
  }
`;
