/**
 * Talking to the dashboard's API. Every view is a report's JSON envelope, the same JSON `patchboard --format json`
 * prints; an error carries the server's message, which says what to do.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import { useSearchParams } from 'wouter';
// Types only (erased from the bundle): the API's JSON is core's report envelope, the one the CLI prints.
import type { ColumnType, ReportJson, ResultColumn, ResultRow, ResultValue } from '@patchboard/core';

export type { ColumnType, ReportJson };
export type Value = ResultValue;
export type Row = ResultRow;
export type Column = ResultColumn;
/** A page of the Nodes table: the envelope with the count of matching rows and the page's place in them. */
export type NodePage = ReportJson<{
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}>;
/** `serve --ingest … --every …`: how the scheduled refresh last went (ISO 8601 UTC times). */
export interface RefreshStatus {
  readonly every: string;
  readonly lastRefreshedAt?: string;
  readonly lastFailure?: { readonly at: string; readonly reason: string };
  readonly nextAt?: string;
}
export interface Meta {
  readonly version: string;
  readonly dataVersion: string;
  readonly snapshotTakenAt: string;
  readonly evaluatedAt: string;
  readonly nodes: number;
  readonly facets: Record<'account' | 'region' | 'team' | 'environment' | 'platform' | 'baseline', string[]>;
  /** Who is signed in and what they see (the whole fleet, or some teams' nodes). */
  readonly viewer?: {
    readonly name: string;
    readonly via: 'token' | 'oidc' | 'alb';
    readonly scope: { readonly kind: 'fleet' } | { readonly kind: 'teams'; readonly teams: string[] };
  };
  /** Null when nothing refreshes the data on a schedule. */
  readonly refresh: RefreshStatus | null;
}

/** Changes when new data is committed, so every view asks again. */
export const DataVersion = createContext('');

/** `/api/reports/id?k=v…`, leaving out empty values. */
export function apiPath(path: string, params: Record<string, string | number | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

export function reportPath(id: string, params: Record<string, string | number | undefined> = {}): string {
  return apiPath(`/api/reports/${encodeURIComponent(id)}`, params);
}

/**
 * The day the views look back to (`?asOf=2026-10-31`, the end of that UTC day), or '' for now. It lives in the
 * address like every filter, so a month-end view can be sent as a link.
 */
export function useAsOf(): string {
  const [params] = useSearchParams();
  return params.get('asOf') ?? '';
}

/** Reports and the node table can be asked as of a past instant; other views are about now or a range. */
export function withAsOf(path: string, asOf: string): string {
  if (!asOf || !/^\/api\/(reports\/|nodes(\?|$))/.test(path)) return path;
  return `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(asOf)}`;
}

/** The same view as a download. */
export function downloadPath(path: string, format: 'csv' | 'pdf'): string {
  return `${path}${path.includes('?') ? '&' : '?'}format=${format}`;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, credentials: 'same-origin' });
  const body = (await response.json().catch(() => undefined)) as
    (T & { error?: { message?: string } }) | undefined;
  if (!response.ok || body === undefined) {
    throw new Error(body?.error?.message ?? `The server answered ${response.status} ${response.statusText}.`);
  }
  return body;
}

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
}

/** Fetches `path` (nothing when null), again whenever it or the data version changes. */
export function useApi<T>(wanted: string | null): Loaded<T> {
  const version = useContext(DataVersion);
  const asOf = useAsOf();
  const path = wanted === null ? null : withAsOf(wanted, asOf);
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, loading: true });
  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    getJson<T>(path, abort.signal).then(
      (data) => setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (!abort.signal.aborted)
          setState({ data: undefined, error: String((error as Error).message), loading: false });
      },
    );
    return () => abort.abort();
  }, [path, version]);
  return state;
}
