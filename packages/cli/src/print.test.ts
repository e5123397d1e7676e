import { describe, expect, it } from 'vitest';
import { checkPdfDestination } from './print.js';

describe('PDF destination', () => {
  it('refuses a terminal and says what to do', () => {
    expect(() => checkPdfDestination(undefined, true)).toThrow(/give --out report\.pdf/);
  });
  it('takes a file or a pipe', () => {
    expect(() => checkPdfDestination('x.pdf', true)).not.toThrow();
    expect(() => checkPdfDestination(undefined, false)).not.toThrow();
  });
});
