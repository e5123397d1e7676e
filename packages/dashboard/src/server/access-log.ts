/**
 * The access log: one JSON line per request — when (UTC), who, which route with which parameters, the status,
 * and how many rows the answer carried — so an auditor can ask who looked at or downloaded which evidence.
 * Secrets that travel in a query string (the one-time token, a sign-in's code and state) are written as
 * `[redacted]`.
 */
import type { MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** Rows the answer carried, set by the routes that answer with rows. */
    rows: number;
  }
}

const REDACTED = new Set(['token', 'code', 'state', 'session_state']);

export interface AccessLogLine {
  readonly time: string;
  readonly user: string | null;
  readonly method: string;
  readonly route: string;
  readonly params: Record<string, string | string[]>;
  readonly status: number;
  readonly rows: number | null;
  readonly ms: number;
}

export function accessLog(write: (line: string) => void): MiddlewareHandler {
  return async (c, next) => {
    const started = Date.now();
    try {
      await next();
    } finally {
      const params: Record<string, string | string[]> = {};
      for (const [key, values] of Object.entries(c.req.queries())) {
        const shown = REDACTED.has(key) ? values.map(() => '[redacted]') : values;
        params[key] = shown.length === 1 ? shown[0]! : shown;
      }
      const line: AccessLogLine = {
        time: new Date(started).toISOString(),
        user: c.get('viewer')?.name ?? null,
        method: c.req.method,
        route: c.req.path,
        params,
        // An error thrown past every handler is answered 500 by the server.
        status: c.res.status,
        rows: c.get('rows') ?? null,
        ms: Date.now() - started,
      };
      write(`${JSON.stringify(line)}\n`);
    }
  };
}
