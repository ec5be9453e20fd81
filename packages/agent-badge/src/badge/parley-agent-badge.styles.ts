import { css } from 'lit';

export const parleyAgentBadgeStyles = css`
  :host {
    --parley-badge-available: var(--parley-color-available, #15803d);
    --parley-badge-away: var(--parley-color-away, #b45309);
    --parley-badge-offline: var(--parley-color-offline, #6b7280);
    --parley-badge-text: var(--parley-color-text, #1f2937);
    --parley-badge-muted: var(--parley-color-muted, #4b5563);
    --parley-badge-surface: var(--parley-color-surface, #ffffff);
    --parley-badge-accent: var(--parley-color-accent, #1d4ed8);
    display: inline-block;
    font: 14px/1.4 system-ui, sans-serif;
    color: var(--parley-badge-text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --parley-badge-text: var(--parley-color-text, #f3f4f6);
      --parley-badge-muted: var(--parley-color-muted, #d1d5db);
      --parley-badge-surface: var(--parley-color-surface, #111827);
      --parley-badge-accent: var(--parley-color-accent, #93c5fd);
      --parley-badge-available: var(--parley-color-available, #4ade80);
    }
  }
  [part='badge'] {
    display: grid;
    gap: 8px;
    padding: 10px 12px;
    border-radius: 10px;
    background: var(--parley-badge-surface);
  }
  [part='summary'] {
    display: flex;
    align-items: center;
    gap: 8px;
    font-weight: 600;
  }
  [part='light'] {
    inline-size: 10px;
    block-size: 10px;
    border-radius: 50%;
    background: var(--parley-badge-offline);
  }
  :host([status='available']) [part='light'] {
    background: var(--parley-badge-available);
  }
  :host([status='away']) [part='light'],
  :host([status='busy']) [part='light'] {
    background: var(--parley-badge-away);
  }
  [part='reason'],
  [part='capacity'],
  [part='overlay'] {
    font-size: 0.85rem;
    color: var(--parley-badge-muted);
  }
  [part='maintenance'] {
    margin: 0;
    font-size: 0.85rem;
    font-weight: 600;
  }
  [part='controls'] {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  fieldset {
    border: 1px solid var(--parley-badge-muted);
    border-radius: 8px;
    margin: 0;
    padding: 6px 10px;
    display: flex;
    flex-wrap: wrap;
    gap: 10px;
  }
  select,
  button {
    font: inherit;
    color: var(--parley-badge-text);
    background: var(--parley-badge-surface);
    border: 1px solid var(--parley-badge-muted);
    border-radius: 6px;
    padding: 4px 10px;
    cursor: pointer;
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--parley-badge-accent);
    outline-offset: 2px;
  }
`;
