export { ParleyChat } from './chat/parley-chat.js';
