import { css } from 'lit';

export const parleyAgentBadgeStyles = css`
  :host {
    --parley-badge-available: var(--parley-color-available, #15803d);
    --parley-badge-away: var(--parley-color-away, #b45309);
    --parley-badge-offline: var(--parley-color-offline, #6b7280);
    --parley-badge-text: var(--parley-color-text, #1f2937);
    display: inline-flex;
    align-items: center;
    gap: 8px;
    font: 14px/1.4 system-ui, sans-serif;
    color: var(--parley-badge-text);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --parley-badge-text: var(--parley-color-text, #f3f4f6);
    }
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
`;
