/**
 * How values read on screen. Timestamps always carry their zone: UTC by default, the browser's on request.
 */
import { createContext, useContext } from 'react';
import { showInvisible } from '@patchboard/core/visible-text';
import type { ColumnType, Value } from './api';

export type Zone = 'UTC' | 'local';
export const ZoneContext = createContext<{ zone: Zone; setZone: (zone: Zone) => void }>({
  zone: 'UTC',
  setZone: () => {},
});

const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
/** Some inventory times are text columns (AWS:Application InstalledTime); an instant in UTC reads as one. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function formatTimestamp(iso: string, zone: Zone): string {
  if (zone === 'UTC') return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat('sv-SE', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date);
  return `${text} ${LOCAL_ZONE}`;
}

export function useFormat(): (value: Value | undefined, type?: ColumnType) => string {
  const { zone } = useContext(ZoneContext);
  const format = (value: Value | undefined, type?: ColumnType): string => {
    if (value === null || value === undefined) return '';
    if (Array.isArray(value)) return value.map((v) => format(v)).join(', ');
    if (typeof value === 'string' && (type === 'timestamp' || ISO_INSTANT.test(value))) {
      return formatTimestamp(value, zone);
    }
    if (typeof value === 'number')
      return Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
    // Bidi overrides and zero-width characters would make a value look like another: they show as `\u202e`.
    return showInvisible(String(value));
  };
  return format;
}
