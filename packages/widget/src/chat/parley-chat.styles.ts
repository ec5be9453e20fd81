import { css } from 'lit';

// Two theming layers: global --parley-* tokens, then this component's own
// properties on :host that default to them.
export const parleyChatStyles = css`
  :host {
    --parley-chat-accent: var(--parley-color-accent, #1d4ed8);
    --parley-chat-on-accent: var(--parley-color-on-accent, #ffffff);
    --parley-chat-surface: var(--parley-color-surface, #ffffff);
    --parley-chat-text: var(--parley-color-text, #1f2937);
    --parley-chat-radius: var(--parley-radius, 12px);
    position: fixed;
    inset-block-end: 16px;
    inset-inline-end: 16px;
    z-index: 2147483000;
    font: 15px/1.4 system-ui, sans-serif;
    color: var(--parley-chat-text);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --parley-chat-surface: var(--parley-color-surface, #111827);
      --parley-chat-text: var(--parley-color-text, #f3f4f6);
    }
  }

  [part='launcher'] {
    all: revert;
    border: 0;
    border-radius: 999px;
    padding: 12px 18px;
    font: inherit;
    font-weight: 600;
    background: var(--parley-chat-accent);
    color: var(--parley-chat-on-accent);
    cursor: pointer;
  }

  [part='launcher']:focus-visible {
    outline: 3px solid var(--parley-chat-text);
    outline-offset: 2px;
  }

  [part='panel'] {
    inline-size: min(360px, calc(100vw - 32px));
    margin-block-end: 12px;
    padding: 16px;
    border-radius: var(--parley-chat-radius);
    background: var(--parley-chat-surface);
    box-shadow: 0 8px 30px rgb(0 0 0 / 0.2);
  }

  @media (max-width: 480px) {
    :host([open]) {
      inset: 0;
    }
    :host([open]) [part='panel'] {
      inline-size: auto;
      block-size: 100%;
      margin: 0;
      border-radius: 0;
    }
  }
`;
