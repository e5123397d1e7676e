/**
 * Who may talk to the dashboard. `patchboard serve` prints a URL carrying a random token; the first request
 * with it gets a session cookie (HttpOnly, SameSite=Strict) and is redirected to the same page without the
 * token, so the secret leaves the address bar and the history. The token then stops working: a URL that leaks
 * later (shell history, a screenshot) opens nothing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'patchboard_session';
const SESSION_SECONDS = 12 * 3600;

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function accessControl(token: string | undefined): MiddlewareHandler {
  const session = newToken();
  let tokenUsed = false;
  return async (c, next) => {
    if (token === undefined) return next();
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie !== undefined && sameSecret(cookie, session)) return next();
    const offered = c.req.query('token');
    if (offered !== undefined && !tokenUsed && sameSecret(offered, token)) {
      tokenUsed = true;
      setCookie(c, SESSION_COOKIE, session, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        maxAge: SESSION_SECONDS,
      });
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const message =
      offered === undefined
        ? 'This Patchboard dashboard needs the link `patchboard serve` printed (it carries a one-time token).'
        : 'That token is not valid here or was already used: a token opens one browser session. Restart `patchboard serve` for a new link.';
    return c.json({ error: { code: 'UNAUTHORIZED', message } }, 401);
  };
}

/**
 * Refuses requests whose Host header names another machine than the one the server was started for: a web page
 * elsewhere cannot reach a loopback dashboard through a DNS name it controls (DNS rebinding). The port is not
 * compared (the server may have picked it).
 */
export function hostCheck(allowedHostnames: readonly string[] | undefined): MiddlewareHandler {
  const allowed = allowedHostnames && new Set(allowedHostnames.map((host) => host.toLowerCase()));
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    const hostname = host.replace(/:\d+$/, '');
    if (allowed && !allowed.has(hostname)) {
      return c.json(
        {
          error: {
            code: 'FORBIDDEN',
            message: `Host ${JSON.stringify(host)} is not this dashboard's address (${[...allowed].join(', ')}). Open the URL \`patchboard serve\` printed.`,
          },
        },
        403,
      );
    }
    return next();
  };
}
