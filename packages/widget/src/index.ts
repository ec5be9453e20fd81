import { ParleyChat } from './chat/parley-chat.js';

// From npm, the panel is a chunk the site's bundler splits off and loads on idle or first open.
ParleyChat.loadPanel ??= () => import('./panel/panel-entry.js');

export { ParleyChat };
export type { PanelModule, PanelOptions } from './panel/panel-entry.js';
export type { PrechatField } from './panel/prechat-field.js';
export type { WidgetStrings } from './strings/strings.js';
