export { startServer, type RunningServer, type ServerOptions } from './server.js';
export type { StaticMount } from './http/static-files.js';
