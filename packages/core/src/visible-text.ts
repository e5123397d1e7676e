/**
 * Characters that change how other text looks instead of being seen: terminal controls (C0, DEL, C1: ESC
 * starts colour, cursor, title and OSC 8 hyperlink sequences; U+009B is a one-character CSI), bidirectional
 * formatting characters (U+202E makes `txt.exe` read as `exe.txt`) and zero-width characters (two values that
 * look equal but are not). Where a person reads values (a terminal, the dashboard) they are shown as `\uXXXX`,
 * so a value looks like what it is. No imports: the dashboard's browser client uses this file too.
 */

/** The Unicode Bidi_Control characters (UAX #9, table 4) and the zero-width space, joiners, word joiner and BOM. */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/**
 * What a terminal must not receive from data. A line feed, and a carriage return right before one, are kept:
 * the formats' own line ends (CSV's are CRLF); neither can move the cursor back over text already shown.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_UNSAFE = /\r(?!\n)|[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

const escaped = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Bidi controls and zero-width characters as `\u202e`, `\u200b`…; everything else unchanged. */
export function showInvisible(text: string): string {
  return text.replaceAll(INVISIBLE, escaped);
}

/** One cell's text for a terminal: every control character (line breaks too) and invisible one escaped. */
export function terminalCellText(text: string): string {
  return showInvisible(text).replaceAll(CONTROL, escaped);
}

/**
 * A whole rendered document (CSV, Markdown, JSON…) for a terminal: control and invisible characters escaped,
 * its line ends kept. In JSON the escapes are JSON's own, so what is shown still parses to the same values.
 */
export function terminalText(text: string): string {
  return showInvisible(text).replaceAll(TERMINAL_UNSAFE, escaped);
}

/**
 * `text` cut to at most `max` characters (code points, so a cut never splits one), the last of them `…` when
 * something was cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Two UTF-16 units per code point at most: this slice holds more than `max` points whenever the text does.
  const points = Array.from(text.slice(0, 2 * max + 2));
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/**
 * A value as a chart's label: one line, control and invisible characters shown, at most `max` characters.
 * Charts get it from a formatter, never as an object key (their categories are indices), because ECharts'
 * text measuring caches widths in a plain object keyed by the text (zrender's LRU, src/core/LRU.ts): a label
 * `__proto__` there reaches Object.prototype and gives every object in the process `prev` and `next`. A label
 * that names a member of Object.prototype (`__proto__`, `constructor`, `toString`…) gets a trailing space,
 * which is not seen and keeps it from being one.
 */
export function chartLabel(text: string, max: number): string {
  const label = truncate(terminalCellText(text), max);
  return label in Object.prototype ? `${label} ` : label;
}
