/**
 * Filters live in the address: a view can be bookmarked or sent, and Back undoes a filter.
 */
import { useSearchParams } from 'wouter';

export function useUrlState(): [
  get: (key: string, fallback?: string) => string,
  set: (changes: Record<string, string | number | undefined>) => void,
] {
  const [params, setParams] = useSearchParams();
  const get = (key: string, fallback = '') => params.get(key) ?? fallback;
  const set = (changes: Record<string, string | number | undefined>) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || value === '') next.delete(key);
        else next.set(key, String(value));
      }
      return next;
    });
  return [get, set];
}
