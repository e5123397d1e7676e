import { fileURLToPath } from 'node:url';

/** Where `npm run build` puts the client (vite.config.ts). */
export const CLIENT_DIRECTORY = fileURLToPath(new URL('../../dist', import.meta.url));
