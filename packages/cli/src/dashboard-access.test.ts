import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '@patchboard/core';
import { dashboardAccess } from './dashboard-access.js';

const oidc = { issuer: 'https://idp.example.com', clientId: 'patchboard', clientSecretEnv: 'PB_TEST_SECRET' };
const config = (accessLog?: string) =>
  parseConfig(
    {
      dashboard: {
        publicUrl: 'https://patchboard.example.com',
        auth: { oidc },
        access: { admins: ['platform-security'] },
        ...(accessLog ? { accessLog } : {}),
      },
    },
    'patchboard.yaml',
  );

afterEach(() => {
  delete process.env.PB_TEST_SECRET;
});

describe('dashboardAccess', () => {
  it('reads the client secret from the variable the configuration names, and says which one is missing', () => {
    expect(() => dashboardAccess(config(), undefined)).toThrow(
      /clientSecretEnv names PB_TEST_SECRET, which is not set/,
    );
    process.env.PB_TEST_SECRET = 's3cret';
    const access = dashboardAccess(config(), undefined);
    expect(access.signIn?.clientSecret).toBe('s3cret');
    expect(access.publicUrl).toBe('https://patchboard.example.com');
    expect(access.accessLog).toBeUndefined();
  });

  it('keeps the local token when no sign-in is configured', () => {
    expect(dashboardAccess(parseConfig({}, 'none'), undefined).signIn).toBeUndefined();
  });

  it('appends the log to --access-log, which wins over the configuration, readable by its owner only', async () => {
    process.env.PB_TEST_SECRET = 's3cret';
    const dir = await mkdtemp(join(tmpdir(), 'patchboard-access-log-'));
    try {
      const flag = join(dir, 'flag.log');
      const access = dashboardAccess(config(join(dir, 'configured.log')), flag);
      access.accessLog?.('{"a":1}\n');
      access.accessLog?.('{"a":2}\n');
      await access.close();
      expect(await readFile(flag, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
      expect((await stat(flag)).mode & 0o777).toBe(0o600);
      await expect(stat(join(dir, 'configured.log'))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
