/**
 * Sign-in sessions kept by the server. The browser holds only a random id in a cookie signed with a key that
 * lives in this process (HMAC-SHA256, hono's signed cookies): a changed byte makes the cookie worthless, and
 * signing out deletes the session here, so a copied cookie stops working too. Sessions end after a fixed time
 * and with the process.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';

/** More entries than this is a flood, not an organisation: the oldest go first. */
const MAX_ENTRIES = 100_000;

/** Entries that end at a time, at most `MAX_ENTRIES` of them. */
export class ExpiringStore<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  /** Keeps `value` under a new random id until `lifetimeMs` from now; returns the id. */
  add(value: T, lifetimeMs: number): string {
    const id = randomBytes(32).toString('base64url');
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      // Map order is insertion order, and every entry has the same lifetime: the first live one ends the sweep.
      if (entry.expiresAt > now && this.entries.size < MAX_ENTRIES) break;
      this.entries.delete(key);
    }
    this.entries.set(id, { value, expiresAt: now + lifetimeMs });
    return id;
  }

  get(id: string): T | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.value;
  }

  /** Returns the entry and forgets it: what a one-time value (a sign-in in progress) needs. */
  take(id: string): T | undefined {
    const value = this.get(id);
    this.entries.delete(id);
    return value;
  }

  delete(id: string): void {
    this.entries.delete(id);
  }
}

/** A cookie whose value is an id in an `ExpiringStore`, signed with a key of this process. */
export class SignedCookie {
  private readonly secret = randomBytes(32);

  constructor(
    readonly name: string,
    private readonly options: CookieOptions,
  ) {}

  /** The id, or undefined when the cookie is missing or its signature does not match (a tampered cookie). */
  async read(c: Context): Promise<string | undefined> {
    const value = await getSignedCookie(c, this.secret, this.name, this.options.prefix);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  write(c: Context, id: string): Promise<void> {
    return setSignedCookie(c, this.name, id, this.secret, this.options);
  }

  clear(c: Context): void {
    deleteCookie(c, this.name, {
      path: this.options.path,
      secure: this.options.secure,
      ...(this.options.prefix ? { prefix: this.options.prefix } : {}),
    });
  }
}
