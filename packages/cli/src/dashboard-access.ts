/**
 * `serve`'s sign-in and access log, from the configuration's `dashboard:` section and `--access-log`: what the
 * dashboard is given (the sign-in settings with the client secret read from its environment variable, and a
 * writer for the log lines), and how to stop writing.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { type Config, PatchboardError } from '@patchboard/core';
import type { SignInOptions } from '@patchboard/dashboard';

export interface DashboardAccess {
  readonly signIn?: SignInOptions;
  readonly accessLog?: (line: string) => void;
  /** Where people open the dashboard when they sign in with the identity provider (else the token link). */
  readonly publicUrl?: string;
  close(): Promise<void>;
}

export function dashboardAccess(config: Config, accessLogFlag: string | undefined): DashboardAccess {
  const dashboard = config.dashboard;
  const auth = dashboard?.auth;
  let signIn: SignInOptions | undefined;
  if (auth && (auth.oidc ?? auth.alb) && dashboard.access) {
    const secretEnv = auth.oidc?.clientSecretEnv;
    const clientSecret = secretEnv === undefined ? undefined : process.env[secretEnv];
    if (secretEnv !== undefined && !clientSecret) {
      throw new PatchboardError(
        'CONFIG',
        `dashboard.auth.oidc.clientSecretEnv names ${secretEnv}, which is not set. Set it to the client secret the identity provider issued for ${auth.oidc!.clientId}, or drop clientSecretEnv for a public client.`,
      );
    }
    signIn = {
      auth,
      access: dashboard.access,
      publicUrl: dashboard.publicUrl,
      ...(clientSecret ? { clientSecret } : {}),
    };
  }
  const base = { ...(signIn ? { signIn } : {}), publicUrl: dashboard?.publicUrl };
  const target = accessLogFlag ?? dashboard?.accessLog;
  if (target === undefined) return { ...base, close: async () => undefined };
  if (target === '-') {
    return { ...base, accessLog: (line) => process.stdout.write(line), close: async () => undefined };
  }
  const file = createWriteStream(target, { flags: 'a', mode: 0o600 });
  file.on('error', (error) =>
    process.stderr.write(`patchboard: writing the access log ${target} failed: ${String(error)}\n`),
  );
  return {
    ...base,
    accessLog: (line) => file.write(line),
    close: async () => {
      file.end();
      await finished(file).catch(() => undefined);
    },
  };
}
