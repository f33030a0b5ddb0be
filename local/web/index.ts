export { appOrigins, type WebConfigInput, webConfigFor } from './config.ts';
export { freePort, stackOnWebPort } from './relocate.ts';
export { startWebServer, type WebServer, WebServerError, type WebServerOptions } from './server.ts';
