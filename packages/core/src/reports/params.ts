import * as z from 'zod';
import { parseIsoInstant, formatInstant } from '../timestamp.js';

/** A report parameter that is an instant: any ISO-8601 form in, the canonical UTC form out. */
export const isoInstant = z.string().transform((value, context) => {
  const parsed = parseIsoInstant(value);
  if (parsed === undefined) {
    context.addIssue({
      code: 'custom',
      message: `expected an ISO-8601 time such as 2026-10-31T23:59:59Z, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return formatInstant(parsed);
});
