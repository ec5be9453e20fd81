import { css } from 'lit';

/** The admin controls' look (office admin, left messages): one place, so they match. */
export const adminStyles = css`
  :host {
    display: grid;
    gap: 16px;
    font: 14px/1.4 system-ui, sans-serif;
    color: var(--parley-color-text, #1f2937);
  }
  [part='section'] {
    display: grid;
    gap: 8px;
  }
  h2 {
    margin: 0;
    font-size: 1rem;
  }
  table {
    border-collapse: collapse;
  }
  th,
  td {
    text-align: start;
    padding: 4px 8px;
    border-block-end: 1px solid #d1d5db;
  }
  select,
  button {
    font: inherit;
    padding: 4px 10px;
  }
  button:focus-visible,
  select:focus-visible {
    outline: 3px solid var(--parley-color-accent, #1d4ed8);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: end;
  }
  .message-text {
    white-space: pre-wrap;
    max-inline-size: 40ch;
  }
`;
