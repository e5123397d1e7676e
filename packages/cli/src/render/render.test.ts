import { describe, expect, it } from 'vitest';
import { renderHtmlDocument } from './document.js';
import { percentBarsSvg, statusBarsSvg } from './svg-charts.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('the HTML document', () => {
  const html = renderHtmlDocument({
    title: `Report for ${HOSTILE}`,
    facts: [['Team', HOSTILE]],
    sections: [
      {
        heading: 'Nodes',
        result: {
          columns: [
            { name: 'name', type: 'string' },
            { name: 'missing_count', type: 'integer' },
            { name: 'last_scan_time', type: 'timestamp' },
          ],
          rows: [
            { name: HOSTILE, missing_count: 3, last_scan_time: '2026-10-31T23:59:59Z' },
            { name: '=HYPERLINK("https://example.invalid")', missing_count: 0, last_scan_time: null },
            { name: `"quoted" & 'single'`, missing_count: 12, last_scan_time: null },
          ],
        },
      },
    ],
  });

  it('shows values from the data as text, never as markup', () => {
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
  });

  it('says the time zone of every instant and right-aligns numbers', () => {
    expect(html).toContain('<td>2026-10-31 23:59:59 UTC</td>');
    expect(html).toContain('<td class="n">12</td>');
    expect(html).toContain('<p class="count">3 rows</p>');
  });
});

describe('SVG charts', () => {
  it('escapes labels and draws one bar per group and status', () => {
    const svg = statusBarsSvg([
      { label: HOSTILE, counts: { COMPLIANT: 5, NON_COMPLIANT: 2 } },
      { label: 'payments & co', counts: { COMPLIANT: 1, STALE: 4 } },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(svg).toContain('payments &amp; co');
    // Bars with a value are drawn in their status colour: 2 compliant, 1 non-compliant, 1 stale.
    expect(svg.match(/fill="#009E73"/gi)?.length).toBeGreaterThanOrEqual(2);
    expect(svg.match(/fill="#D55E00"/gi)?.length).toBeGreaterThanOrEqual(1);
  });

  it('labels percentages with their value', () => {
    const svg = percentBarsSvg([
      { label: 'checkout / prod', value: 72.7 },
      { label: 'search / dev', value: 20 },
    ]);
    expect(svg).toContain('72.7 %');
    expect(svg).toContain('20 %');
  });

  it('leaves Object.prototype untouched when labels name its members; shows each label once, as given', () => {
    const labels = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
    // Own property names of Object.prototype, of Object, and of every function on Object.prototype: what a
    // cache keyed by label text would have written to.
    const members = () =>
      [Object.prototype, Object, ...Object.getOwnPropertyNames(Object.prototype).map(prototypeMember)].map(
        (target) => Object.getOwnPropertyNames(target).join(','),
      );
    const before = members();
    const svgs = [
      statusBarsSvg(labels.map((label) => ({ label, counts: { COMPLIANT: 1, NON_COMPLIANT: 2 } }))),
      percentBarsSvg(labels.map((label, i) => ({ label, value: 10 * i }))),
    ];
    expect(members()).toEqual(before);
    expect(Object.keys({})).toEqual([]);
    for (const svg of svgs) {
      const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]?.trim());
      for (const label of labels)
        expect(
          texts.filter((t) => t === label),
          label,
        ).toHaveLength(1);
    }
  });

  it('shows control and invisible characters in a label escaped, on one line, cut to 80 characters', () => {
    const svg = percentBarsSvg([
      { label: `a\u001b]8;;https://example.invalid\u0007b\u202Ec\nd`, value: 1 },
      { label: 'x'.repeat(200_000), value: 2 },
    ]);
    expect(svg).toContain('a\\u001b]8;;https://example.invalid\\u0007b\\u202ec\\u000ad');
    expect(svg).toContain(`>${'x'.repeat(79)}…</text>`);
    expect(svg).not.toContain('x'.repeat(80));
  });
});

/** A member of Object.prototype read without calling accessors such as `__proto__`. */
function prototypeMember(name: string): object {
  const descriptor: { value?: unknown; get?: unknown } =
    Object.getOwnPropertyDescriptor(Object.prototype, name) ?? {};
  const value = descriptor.value ?? descriptor.get;
  return typeof value === 'function' ? value : {};
}
