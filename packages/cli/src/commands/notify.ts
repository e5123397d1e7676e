import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import {
  compileReport,
  PatchboardError,
  type QueryResult,
  type ReportDocument,
  renderCsv,
  sha256Hex,
  UNTAGGED,
} from '@patchboard/core';
import { evaluationTime, reportContext, resolveContext, type GlobalOptions } from '../context.js';
import { type OutgoingMail, sendMails } from '../delivery/email.js';
import { postJson, slackEscape } from '../delivery/webhook.js';
import { counted, renderHtmlReport, renderReport } from '../output.js';
import { withQueryEngine } from '../print.js';
import { keyValue } from './options.js';

/** Rows shown in a chat message; the whole report travels by e-mail or JSON. */
const SLACK_ROWS = 20;

interface NotifyOptions {
  report: string;
  param: Record<string, string>;
  email?: boolean;
  webhook: string[];
  perTeam?: boolean;
  attach: string[];
  auditPack?: string;
  subject?: string;
}

/**
 * An audit pack's files for attaching, each checked against the SHA-256 its manifest lists: evidence that was
 * changed after it was written is not sent on as if it were the pack.
 */
async function auditPackFiles(dir: string): Promise<{ filename: string; content: Uint8Array }[]> {
  let manifest: { files?: { path: string; sha256: string }[] };
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch (error) {
    throw new PatchboardError(
      'IO',
      `${dir} is not an audit pack: its manifest.json cannot be read (${(error as Error).message}). Give the folder \`patchboard audit-pack --out\` wrote.`,
      { cause: error },
    );
  }
  const files = [{ filename: 'manifest.json', content: await readFile(join(dir, 'manifest.json')) }];
  for (const file of manifest.files ?? []) {
    // The document, its PDF and the CSV tables; the JSON twins stay in the pack.
    if (!/^(report\.(pdf|html)|[\w-]+\.csv)$/.test(file.path)) continue;
    const content = await readFile(join(dir, file.path));
    if ((await sha256Hex(content)) !== file.sha256) {
      throw new PatchboardError(
        'IO',
        `${join(dir, file.path)} does not match the SHA-256 in the pack's manifest: it changed after the pack was written. Regenerate the pack.`,
      );
    }
    files.push({ filename: file.path, content });
  }
  return files;
}

/** One message's worth: the whole report, or one team's rows of it. */
interface Part {
  readonly team: string | null;
  readonly output: ReportDocument;
}

function splitByTeam(output: ReportDocument, perTeam: boolean): Part[] {
  const { result } = output;
  if (!perTeam) return [{ team: null, output }];
  if (!result.columns.some((c) => c.name === 'team')) {
    throw new PatchboardError(
      'USAGE',
      `--per-team needs a report with a team column; ${output.report} has ${result.columns.map((c) => c.name).join(', ')}.`,
    );
  }
  const teams = new Map<string, QueryResult['rows'][number][]>();
  for (const row of result.rows) {
    const team = typeof row.team === 'string' ? row.team : UNTAGGED;
    teams.set(team, [...(teams.get(team) ?? []), row]);
  }
  return [...teams].map(([team, rows]) => ({
    team,
    output: { ...output, params: { ...output.params, team }, result: { columns: result.columns, rows } },
  }));
}

function slackMessage(part: Part): { text: string } {
  const { output } = part;
  const rows = output.result.rows;
  const shown = { columns: output.result.columns, rows: rows.slice(0, SLACK_ROWS) };
  const table = renderReport({ ...output, result: shown }, 'md');
  const heading = `*${slackEscape(output.title ?? output.report)}*${part.team ? ` — team ${slackEscape(part.team)}` : ''}`;
  const cut = rows.length > SLACK_ROWS ? `, first ${SLACK_ROWS} shown` : '';
  const block = slackEscape(table.replaceAll('```', "'''"));
  return {
    text: `${heading}\nEvaluated ${output.generatedAt}: ${counted(rows.length, 'row')}${cut}.\n\`\`\`\n${block}\`\`\``,
  };
}

export function registerNotify(program: Command): void {
  program
    .command('notify')
    .description(
      'Send a report by e-mail and/or to webhooks (Slack or JSON) as configured under `notify:`, optionally one message per team',
    )
    .requiredOption('--report <id>', 'the report to send, e.g. team-environment or overdue-patches')
    .option('--param <key=value>', 'report parameter (repeatable)', keyValue, {})
    .option('--email', 'send by e-mail to notify.email.to (per team: notify.email.teams)')
    .option(
      '--webhook <name>',
      'post to this configured webhook (repeatable)',
      (v, all: string[]) => [...all, v],
      [],
    )
    .option('--per-team', 'one message per team, each with only its rows')
    .option(
      '--attach <file>',
      'attach a file to the e-mails, e.g. an audit pack’s report.pdf (repeatable)',
      (v, all: string[]) => [...all, v],
      [],
    )
    .option(
      '--audit-pack <dir>',
      'attach an audit pack (PDF, HTML, CSV, manifest), checked against its manifest',
    )
    .option('--subject <text>', 'e-mail subject (default: the report title, team and evaluation time)')
    .action(async (options: NotifyOptions, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      const { notify } = context.config;
      if (!options.email && options.webhook.length === 0) {
        throw new PatchboardError('USAGE', 'Say where to send: --email and/or --webhook <name>.');
      }
      const hooks = options.webhook.map((name) => {
        const hook = notify.webhooks.find((h) => h.name === name);
        if (!hook) {
          throw new PatchboardError(
            'CONFIG',
            `No webhook named ${name} under notify.webhooks; configured: ${notify.webhooks.map((h) => h.name).join(', ') || 'none'}.`,
          );
        }
        return hook;
      });
      if (options.email && (!notify.smtp || !notify.email)) {
        throw new PatchboardError(
          'CONFIG',
          '--email needs notify.smtp (from, urlEnv) and notify.email (to) in the config file.',
        );
      }
      const attachments = [
        ...(options.auditPack ? await auditPackFiles(options.auditPack) : []),
        ...(await Promise.all(
          options.attach.map(async (path) => ({ filename: basename(path), content: await readFile(path) })),
        )),
      ];
      const output = await withQueryEngine(context, async (engine) => {
        const compiled = compileReport(options.report, options.param, reportContext(context, engine));
        return {
          report: options.report,
          title: compiled.report.title,
          generatedAt: evaluationTime(context),
          params: compiled.params,
          result: await engine.run(compiled.query),
        } satisfies ReportDocument;
      });
      const parts = splitByTeam(output, options.perTeam === true);

      let mails: OutgoingMail[] = [];
      if (options.email && notify.smtp && notify.email) {
        const { email } = notify;
        mails = parts.map(({ team, output: part }) => ({
          to: (team !== null ? email.teams[team] : undefined) ?? email.to,
          subject:
            options.subject ??
            `${part.title ?? part.report}${team !== null ? ` — ${team}` : ''} — ${part.generatedAt.replace('T', ' ').replace('Z', ' UTC')}`,
          text: renderReport(part, 'md'),
          html: renderHtmlReport(part),
          attachments: [{ filename: `${part.report}.csv`, content: renderCsv(part.result) }, ...attachments],
        }));
        await sendMails(notify.smtp, mails);
      }
      for (const hook of hooks) {
        for (const part of parts) {
          await postJson(
            hook,
            hook.format === 'slack'
              ? slackMessage(part)
              : { ...(JSON.parse(renderReport(part.output, 'json')) as object), team: part.team },
          );
        }
      }
      const recipients = new Set(mails.flatMap((m) => m.to)).size;
      const sent = [`${counted(mails.length, 'e-mail')} to ${counted(recipients, 'recipient')}`];
      if (hooks.length > 0) {
        sent.push(
          `${counted(hooks.length * parts.length, 'post')} to ${hooks.map((h) => h.name).join(', ')}`,
        );
      }
      const split = options.perTeam ? ` as ${counted(parts.length, 'team message')}` : '';
      process.stderr.write(`Sent ${options.report}${split}: ${sent.join('; ')}.\n`);
    });
}
