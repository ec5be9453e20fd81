// `@parley/sdk/attachments` (I2): files in a chat, a separate entry so pages that never send one never load it.
export { agentSession, createAttachmentSender, type AttachmentSender, type AttachmentTarget, type Upload } from './attachment-sender.js';
export { attachmentLink, uploadFile, type UploadOptions } from './upload-file.js';
export type { AttachmentAccess } from '../chat/chat-client.js';
