/**
 * Signing in with the organisation's identity provider. OpenID Connect: the authorization code flow with PKCE,
 * state and nonce, all by `openid-client`; the server keeps the sign-in in progress (one use) and the session,
 * the browser a signed id of each. Behind an AWS Application Load Balancer that signs people in itself, its
 * `x-amzn-oidc-data` header is verified on every request instead (alb.ts). Either way the person's groups decide
 * what they see (scope.ts).
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { deleteCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import { type AccessConfig, type DashboardConfig, PatchboardError } from '@patchboard/core';
import { isLoopback } from './listen.js';
import { ALB_HEADER, AlbRefusal, AlbVerifier } from './alb.js';
import { noAccessMessage, scopeFor, type Viewer } from './scope.js';
import { ExpiringStore, SignedCookie } from './session.js';

declare module 'hono' {
  interface ContextVariableMap {
    viewer: Viewer;
  }
}

export const SIGN_IN_PATH = '/auth/login';
export const CALLBACK_PATH = '/auth/callback';
export const SIGN_OUT_PATH = '/auth/logout';
/** A sign-in started but not finished within this is void. */
const SIGN_IN_MS = 10 * 60_000;
const HOUR_MS = 3_600_000;

type Auth = NonNullable<DashboardConfig['auth']>;
type OidcConfig = NonNullable<Auth['oidc']>;

export interface SignInOptions {
  readonly auth: Auth;
  readonly access: AccessConfig;
  readonly publicUrl: string | undefined;
  /** The OpenID Connect client secret, read from the environment variable the configuration names. */
  readonly clientSecret?: string;
}

interface PendingSignIn {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly returnTo: string;
}

/** The claim as a list of group names: IdPs send an array, a few a single string. */
function groupsIn(claims: Record<string, unknown>, claim: string): string[] | undefined {
  const value = claims[claim];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  return undefined;
}

function nameIn(claims: Record<string, unknown>): string {
  for (const key of ['email', 'preferred_username', 'sub']) {
    const value = claims[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '(unnamed)';
}

/** A path on this dashboard to return to after signing in; anything else (another site) is the overview. */
function localPath(value: string | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

const refuse = (c: Context, status: 400 | 401 | 403, code: string, message: string) =>
  c.json({ error: { code, message } }, status);

/** Signing in: the `/auth/*` routes, and the gate that says who each request is from (or sends them to sign in). */
export interface SignIn {
  /** Mounted before the gate: signing in and out needs no session. */
  readonly routes: Hono;
  readonly gate: MiddlewareHandler;
}

export function signIn(options: SignInOptions): SignIn {
  const routes = new Hono();
  const viewerFrom = (claims: Record<string, unknown>, groupsClaim: string, via: Viewer['via']): Viewer => {
    const groups = groupsIn(claims, groupsClaim) ?? [];
    return { name: nameIn(claims), groups, scope: scopeFor(groups, options.access), via };
  };
  const tellNoAccess: MiddlewareHandler = async (c, next) => {
    const viewer = c.get('viewer');
    // A person in no configured group gets the page (which says why) and no data.
    if (viewer.scope.kind === 'teams' && viewer.scope.teams.length === 0 && c.req.path.startsWith('/api/')) {
      return refuse(c, 403, 'FORBIDDEN', noAccessMessage(viewer));
    }
    return next();
  };

  if (options.auth.alb) {
    const alb = options.auth.alb;
    const verifier = new AlbVerifier(alb);
    routes.post(SIGN_OUT_PATH, (c) => {
      // The guide's sign-out: expire the load balancer's session cookies (it splits them into up to 4 shards).
      for (let shard = 0; shard < 4; shard++)
        deleteCookie(c, `AWSELBAuthSessionCookie-${shard}`, { path: '/' });
      return c.text(
        'Signed out of this dashboard. Close the browser to end the identity provider session too.',
      );
    });
    const gate: MiddlewareHandler = async (c, next) => {
      const token = c.req.header(ALB_HEADER);
      if (token === undefined) {
        return refuse(
          c,
          401,
          'UNAUTHORIZED',
          `This dashboard is served behind an AWS Application Load Balancer that signs people in, and this request did not come through it (no ${ALB_HEADER} header).`,
        );
      }
      try {
        const claims = await verifier.verify(token);
        c.set('viewer', viewerFrom(claims, alb.groupsClaim, 'alb'));
      } catch (error) {
        if (!(error instanceof AlbRefusal)) throw error;
        return refuse(
          c,
          401,
          'UNAUTHORIZED',
          `The load balancer's sign-in header was refused: ${error.message}.`,
        );
      }
      return tellNoAccess(c, next);
    };
    return { routes, gate };
  }

  const settings = options.auth.oidc;
  if (!settings || !options.publicUrl) {
    throw new PatchboardError('CONFIG', 'dashboard.auth needs oidc (with dashboard.publicUrl) or alb.');
  }
  const publicUrl = new URL(options.publicUrl);
  const secure = publicUrl.protocol === 'https:';
  const callbackUrl = new URL(CALLBACK_PATH, publicUrl);
  const sessionMs = options.auth.sessionHours * HOUR_MS;
  const sessions = new ExpiringStore<Viewer>();
  const pending = new ExpiringStore<PendingSignIn>();
  // Lax, not Strict: the identity provider sends the browser back here from its own site, and a Strict cookie
  // would not come along on that navigation. The API only reads, so Lax's cross-site GET navigation gives an
  // attacker nothing to read. Over HTTPS the `__Host-` prefix pins the cookie to this exact origin.
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure,
    ...(secure ? { prefix: 'host' as const } : {}),
  } as const;
  const sessionCookie = new SignedCookie('patchboard_session', {
    ...cookieOptions,
    maxAge: sessionMs / 1000,
  });
  const signInCookie = new SignedCookie('patchboard_sign_in', {
    ...cookieOptions,
    maxAge: SIGN_IN_MS / 1000,
  });

  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= discover(settings, options.clientSecret);
    // A provider that was down is asked again at the next sign-in.
    discovered.catch(() => (discovered = undefined));
    return discovered;
  };

  routes.get(SIGN_IN_PATH, async (c) => {
    const config = await configuration();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const id = pending.add(
      { verifier, state, nonce, returnTo: localPath(c.req.query('returnTo')) },
      SIGN_IN_MS,
    );
    await signInCookie.write(c, id);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl.href,
      scope: settings.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return c.redirect(url.href, 302);
  });

  routes.get(CALLBACK_PATH, async (c) => {
    const id = await signInCookie.read(c);
    // One use: a replayed callback (the same code and state again) finds nothing.
    const started = id === undefined ? undefined : pending.take(id);
    signInCookie.clear(c);
    if (!started) {
      return refuse(
        c,
        400,
        'SIGN_IN_VOID',
        `This sign-in was not started in this browser, has expired or was already used. Start again at ${SIGN_IN_PATH}.`,
      );
    }
    const config = await configuration();
    const current = new URL(callbackUrl);
    current.search = new URL(c.req.url).search;
    let claims: Record<string, unknown>;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
      claims = { ...tokens.claims() };
    } catch (error) {
      return refuse(
        c,
        400,
        'SIGN_IN_FAILED',
        `The identity provider's answer was refused (${(error as Error).message}). Start again at ${SIGN_IN_PATH}.`,
      );
    }
    if (groupsIn(claims, settings.groupsClaim) === undefined) {
      // Many providers put groups in UserInfo only.
      const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
      claims = { ...info, ...claims, [settings.groupsClaim]: info[settings.groupsClaim] };
    }
    const viewer = viewerFrom(claims, settings.groupsClaim, 'oidc');
    await sessionCookie.write(c, sessions.add(viewer, sessionMs));
    return c.redirect(started.returnTo, 303);
  });

  routes.post(SIGN_OUT_PATH, async (c) => {
    const id = await sessionCookie.read(c);
    if (id !== undefined) sessions.delete(id);
    sessionCookie.clear(c);
    return c.redirect('/auth/signed-out', 303);
  });
  routes.get('/auth/signed-out', (c) =>
    c.text(`Signed out of Patchboard. Sign in again at ${new URL(SIGN_IN_PATH, publicUrl).href}.`),
  );

  const gate: MiddlewareHandler = async (c, next) => {
    const id = await sessionCookie.read(c);
    const viewer = id === undefined ? undefined : sessions.get(id);
    if (!viewer) {
      if (c.req.method === 'GET' && !c.req.path.startsWith('/api/')) {
        const url = new URL(c.req.url);
        return c.redirect(`${SIGN_IN_PATH}?returnTo=${encodeURIComponent(url.pathname + url.search)}`, 302);
      }
      return refuse(c, 401, 'UNAUTHORIZED', `Sign in first: open ${new URL(SIGN_IN_PATH, publicUrl).href}.`);
    }
    c.set('viewer', viewer);
    return tellNoAccess(c, next);
  };
  return { routes, gate };
}

async function discover(settings: OidcConfig, clientSecret: string | undefined): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer);
  // openid-client refuses plain HTTP; a provider on this machine (tests, a local IdP) is the one exception.
  const insecure = issuer.protocol === 'http:' && isLoopback(issuer.hostname.replace(/^\[|\]$/g, ''));
  try {
    return await oidc.discovery(
      issuer,
      settings.clientId,
      undefined,
      clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(clientSecret),
      insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
  } catch (error) {
    throw new PatchboardError(
      'IO',
      `The identity provider ${issuer.href} could not be discovered (${(error as Error).message}); check dashboard.auth.oidc.issuer and that it serves /.well-known/openid-configuration.`,
      { cause: error },
    );
  }
}
