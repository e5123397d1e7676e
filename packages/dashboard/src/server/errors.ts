/**
 * Every failure as the API's one error shape, `{ error: { code, message } }`: Patchboard's errors with their
 * status and message (which says what to do), anything else as a 500 that leaks nothing but is logged.
 */
import type { ErrorHandler } from 'hono';
import { isPatchboardError } from '@patchboard/core';

const HTTP_STATUS = {
  USAGE: 400,
  CONFIG: 500,
  IO: 503,
  NOT_FOUND: 404,
  ENGINE: 500,
  THRESHOLD: 500,
} as const;

export const answerError: ErrorHandler = (error, c) => {
  if (isPatchboardError(error)) {
    return c.json({ error: { code: error.code, message: error.message } }, HTTP_STATUS[error.code]);
  }
  console.error(error);
  return c.json(
    { error: { code: 'INTERNAL', message: 'The dashboard failed to answer; the server log says why.' } },
    500,
  );
};
