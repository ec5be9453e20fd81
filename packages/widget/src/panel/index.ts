// `@parley/widget/panel`: the panel on its own, for a page that brings its own client or launcher.
export { ParleyChatPanel } from './parley-chat-panel.js';
export type { PanelClient } from './parley-chat-panel.component.js';
export { mountPanel } from './panel-entry.js';
