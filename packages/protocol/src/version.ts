/** Sent in `hello` and `welcome`; a service refuses a version it does not speak. */
export const PROTOCOL_VERSION = 1;
