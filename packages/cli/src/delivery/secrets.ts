import { PatchboardError } from '@patchboard/core';

/**
 * A secret URL from the environment. Errors name the variable and, at most, the host: never the URL, which
 * carries a password or a token.
 */
export function secretUrl(variable: string, purpose: string): URL {
  const value = process.env[variable];
  if (!value) {
    throw new PatchboardError(
      'CONFIG',
      `The environment variable ${variable} (${purpose}) is not set. Set it before running notify; it is read from the environment only, never from files or flags.`,
    );
  }
  try {
    return new URL(value);
  } catch {
    throw new PatchboardError('CONFIG', `${variable} (${purpose}) does not hold a URL; check its value.`);
  }
}

/** What may be said of a secret URL in a message: where it points, not what it carries. */
export const describeUrl = (variable: string, url: URL) => `${variable} (${url.protocol}//${url.host})`;
