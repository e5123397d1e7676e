import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface RunningDashboard {
  /** `http://host:port`, without the token. */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

/** 127.0.0.0/8, ::1 and `localhost`: addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Listens on `host:port` (port 0 picks a free one) and resolves once the socket is bound. */
export function listen(app: Hono, host: string, port: number): Promise<RunningDashboard> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      const shown = isIP(host) === 6 ? `[${host}]` : host;
      resolve({
        origin: `http://${shown}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Keep-alive connections of idle browsers would otherwise hold the close open.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
