/**
 * The sign-in's cookies over HTTPS, and where a request without a session goes; the provider itself is only
 * asked at the first sign-in, so none is needed here (packages/cli/test/dashboard-sign-in.test.ts signs in
 * through a real one).
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { signIn } from '../src/server/sign-in.js';

function app(publicUrl: string): Hono {
  const hono = new Hono();
  const { routes, gate } = signIn({
    auth: {
      oidc: {
        issuer: 'https://idp.example.com',
        clientId: 'patchboard',
        groupsClaim: 'groups',
        scopes: ['openid'],
      },
      sessionHours: 8,
    },
    access: { admins: ['platform-security'], teams: {} },
    publicUrl,
  });
  hono.route('/', routes);
  hono.use(gate);
  hono.get('*', (c) => c.text('a page'));
  return hono;
}

describe('sign-in cookies and redirects', () => {
  it('over HTTPS, pins its cookies to the origin: __Host- prefix, Secure, HttpOnly, SameSite=Lax', async () => {
    const signOut = await app('https://patchboard.example.com').request(
      'https://patchboard.example.com/auth/logout',
      {
        method: 'POST',
      },
    );
    expect(signOut.status).toBe(303);
    expect(signOut.headers.get('location')).toBe('/auth/signed-out');
    expect(signOut.headers.get('set-cookie')).toBe('__Host-patchboard_session=; Max-Age=0; Path=/; Secure');
    const callback = await app('https://patchboard.example.com').request(
      'https://patchboard.example.com/auth/callback?code=x&state=y',
    );
    expect(callback.status).toBe(400);
    expect(callback.headers.get('set-cookie')).toBe('__Host-patchboard_sign_in=; Max-Age=0; Path=/; Secure');
  });

  it('over plain HTTP (loopback), the same cookies without Secure', async () => {
    const signOut = await app('http://127.0.0.1:8470').request('http://127.0.0.1:8470/auth/logout', {
      method: 'POST',
    });
    expect(signOut.headers.get('set-cookie')).toBe('patchboard_session=; Max-Age=0; Path=/');
  });

  it('sends a page without a session to sign in, and answers the API with a 401', async () => {
    const hono = app('https://patchboard.example.com');
    const page = await hono.request('https://patchboard.example.com/nodes?team=payments');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/auth/login?returnTo=%2Fnodes%3Fteam%3Dpayments');
    const api = await hono.request('https://patchboard.example.com/api/meta');
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({
      error: {
        code: 'UNAUTHORIZED',
        message: 'Sign in first: open https://patchboard.example.com/auth/login.',
      },
    });
    // A forged session cookie is no session.
    const forged = await hono.request('https://patchboard.example.com/api/meta', {
      headers: { cookie: '__Host-patchboard_session=abc.def' },
    });
    expect(forged.status).toBe(401);
  });
});
