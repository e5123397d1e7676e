/**
 * The dashboard service's settings from CDK context (`-c dashboard.certificateArn=…` or cdk.json). The service
 * is opt-in: it exists only when `dashboard.certificateArn` is given, and then needs the OpenID Connect
 * settings of the identity provider the load balancer signs people in with.
 */
import { PatchboardError } from '@patchboard/core';
import type { DashboardOidc } from './dashboard-service.js';

export interface DashboardConfig {
  readonly certificateArn: string;
  readonly oidc: DashboardOidc;
  readonly adminGroups: readonly string[];
  /** `serve --every` form; default `1h`. */
  readonly every?: string;
  /** A pushed image (e.g. an ECR URI with its tag); default the repository's Dockerfile, built at deploy. */
  readonly image?: string;
  readonly allowedCidr?: string;
}

const OIDC_KEYS = {
  issuer: 'dashboard.oidcIssuer',
  authorizationEndpoint: 'dashboard.oidcAuthorizationEndpoint',
  tokenEndpoint: 'dashboard.oidcTokenEndpoint',
  userInfoEndpoint: 'dashboard.oidcUserInfoEndpoint',
  clientId: 'dashboard.oidcClientId',
  clientSecretName: 'dashboard.oidcClientSecretName',
} as const satisfies Record<keyof DashboardOidc, string>;

const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/;

function value(read: (key: string) => unknown, key: string): string | undefined {
  const given = read(key);
  if (given === undefined || given === null || given === '') return undefined;
  if (typeof given !== 'string') {
    throw new PatchboardError(
      'CONFIG',
      `The context value ${key}=${JSON.stringify(given)} is not text; give a string.`,
    );
  }
  return given;
}

export function dashboardConfigFromContext(read: (key: string) => unknown): DashboardConfig | undefined {
  const certificateArn = value(read, 'dashboard.certificateArn');
  if (certificateArn === undefined) return undefined;
  if (!CERTIFICATE_ARN.test(certificateArn)) {
    throw new PatchboardError(
      'CONFIG',
      `dashboard.certificateArn=${certificateArn} is not an ACM certificate ARN; give arn:aws:acm:<region>:<account>:certificate/<id>, in the reporting Region.`,
    );
  }
  const oidc: Partial<Record<keyof DashboardOidc, string>> = {};
  for (const [field, key] of Object.entries(OIDC_KEYS)) oidc[field as keyof DashboardOidc] = value(read, key);
  const missing: string[] = Object.entries(OIDC_KEYS)
    .filter(([field]) => oidc[field as keyof DashboardOidc] === undefined)
    .map(([, key]) => key);
  const adminGroups = (value(read, 'dashboard.adminGroups') ?? '')
    .split(',')
    .map((group) => group.trim())
    .filter((group) => group !== '');
  if (adminGroups.length === 0) missing.push('dashboard.adminGroups');
  if (missing.length > 0) {
    throw new PatchboardError(
      'CONFIG',
      `dashboard.certificateArn turns the dashboard service on, which needs ${missing.join(', ')}: the identity provider the load balancer signs people in with, and the groups that see the whole fleet (comma-separated). See infra/README.md.`,
    );
  }
  const every = value(read, 'dashboard.every');
  const image = value(read, 'dashboard.image');
  const allowedCidr = value(read, 'dashboard.allowedCidr');
  return {
    certificateArn,
    oidc: oidc as DashboardOidc,
    adminGroups,
    ...(every ? { every } : {}),
    ...(image ? { image } : {}),
    ...(allowedCidr ? { allowedCidr } : {}),
  };
}
