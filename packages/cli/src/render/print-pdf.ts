/**
 * A document printed to PDF by headless Chromium (Debian's `chromium`, driven by playwright-core, which
 * downloads no browser). The page is offline: the document is self-contained by design, so any request it
 * might make is refused.
 */
import { PatchboardError } from '@patchboard/core';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function launch() {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.PATCHBOARD_CHROMIUM ?? DEFAULT_CHROMIUM;
  try {
    return await chromium.launch({ executablePath, headless: true, args: ARGS, timeout: 60_000 });
  } catch (error) {
    throw new PatchboardError(
      'IO',
      `Cannot start Chromium at ${executablePath} to print the PDF (${(error as Error).message.split('\n')[0]}). Install Debian's chromium (apt-get install chromium), point PATCHBOARD_CHROMIUM at a Chromium binary, or skip the PDF.`,
      { cause: error },
    );
  }
}

/** Renders `html` in an offline page and prints it: A4 landscape, page numbers in the footer. */
export async function printPdf(html: string, footerTitle = ''): Promise<Uint8Array> {
  const browser = await launch();
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load', timeout: 60_000 });
    const escaped = footerTitle.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return await page.pdf({
      format: 'A4',
      landscape: true,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:8px;width:100%;padding:0 10mm;display:flex;justify-content:space-between;color:#555"><span>${escaped}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      margin: { top: '12mm', bottom: '14mm', left: '8mm', right: '8mm' },
    });
  } finally {
    await browser.close();
  }
}
