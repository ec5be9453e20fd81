// The lazily loaded part of the widget: Lit, the SDK and the panel. The
// launcher (first load) imports this on idle or on the first open.
import { createChatClient } from '@parley/sdk';
import { ParleyChatPanel } from './parley-chat-panel.js';

export interface PanelOptions {
  endpoint: string;
  button: string;
  /** I1: the signed-in user's token from the site's backend. */
  userToken?: string | undefined;
}

/** Creates the panel with its chat client; the launcher places it and passes it attributes. */
export function mountPanel(options: PanelOptions): ParleyChatPanel {
  const panel = new ParleyChatPanel();
  panel.client = createChatClient({ endpoint: options.endpoint, button: options.button, ...(options.userToken && { userToken: options.userToken }) });
  return panel;
}

export type PanelModule = { mountPanel: typeof mountPanel };
