/**
 * The dashboard's HTTP side, assembled: who may ask (host check, headers, sign-in or token), then the API's
 * route families over one answer service, then the client. The API names reports from the catalogue and passes
 * parameters the report's own zod schema validates; it never takes SQL. Every answer is the JSON the CLI prints
 * with `--format json`, or the CLI's CSV and PDF of it for downloads.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { accessControl, hostCheck } from './access.js';
import { accessLog } from './access-log.js';
import { AnswerService } from './answers.js';
import { answerError } from './errors.js';
import type { DashboardOptions } from './options.js';
import { responder } from './respond.js';
import { clientRoutes } from './routes/client.js';
import { healthRoutes, metaRoutes } from './routes/meta.js';
import { nodeRoutes } from './routes/nodes.js';
import { reportRoutes } from './routes/reports.js';
import { trendRoutes } from './routes/trend.js';
import { FLEET, type Viewer } from './scope.js';
import { signIn } from './sign-in.js';

/** Who the local token (or loopback without one) lets in: the machine's own user, who sees the fleet. */
const LOCAL_VIEWER: Viewer = { name: 'local', groups: [], scope: FLEET, via: 'token' };

/** The API: its route families over one answer service. */
function apiRoutes(options: DashboardOptions): Hono {
  const answers = new AnswerService(options);
  const respond = responder(options.exporters);
  const api = new Hono();
  api.use(async (c, next) => {
    answers.lookForNewData();
    await next();
    c.header('Cache-Control', 'no-store');
  });
  api.route('/', metaRoutes(answers, options));
  api.route('/', nodeRoutes(answers, respond));
  api.route('/', trendRoutes(answers, respond));
  api.route('/', reportRoutes(answers, respond));
  api.all('*', (c) =>
    c.json({ error: { code: 'NOT_FOUND', message: `There is no API ${c.req.path}.` } }, 404),
  );
  return api;
}

export function createDashboardApp(options: DashboardOptions): Hono {
  const app = new Hono();
  // Before every check and the access log: load balancers and container health checks ask it constantly.
  app.route('/', healthRoutes());
  if (options.accessLog) app.use(accessLog(options.accessLog));
  app.use(hostCheck(options.allowedHosts));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      // The dashboard speaks plain HTTP (on loopback by default). RFC 6797 §7.2: a server must not send HSTS
      // over plain HTTP (browsers ignore it there), and on 127.0.0.1 it would bind every port of the host.
      strictTransportSecurity: false,
    }),
  );
  if (options.signIn) {
    const { routes, gate } = signIn(options.signIn);
    app.route('/', routes);
    app.use(gate);
  } else {
    app.use(accessControl(options.token));
    app.use(async (c, next) => {
      c.set('viewer', LOCAL_VIEWER);
      await next();
    });
  }
  app.route('/api', apiRoutes(options));
  if (options.clientDirectory) app.route('/', clientRoutes(options.clientDirectory));
  app.onError(answerError);
  return app;
}
