export { createDashboardApp } from './app.js';
export { newToken, SESSION_COOKIE } from './access.js';
export { listen, isLoopback, type RunningDashboard } from './listen.js';
export type { DashboardData, DashboardOptions, DataSnapshot, Exporters, RefreshStatus } from './options.js';
export { CLIENT_DIRECTORY } from './client-directory.js';
export { type SignInOptions } from './sign-in.js';
export { albPublicKeysUrl } from './alb.js';
