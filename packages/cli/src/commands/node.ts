import type { Command } from 'commander';
import { nodeDetailQueries, PatchboardError, type QueryResult } from '@patchboard/core';
import {
  evaluationTime,
  openQueryEngine,
  reportContext,
  resolveContext,
  terminalColumns,
  type GlobalOptions,
} from '../context.js';
import { emit, renderReport } from '../output.js';
import { printDocument } from '../print.js';
import { renderHtmlDocument } from '../render/document.js';

const SECTIONS = [
  ['tags', 'Tags'],
  ['instance', 'EC2 instance (AWS Config or DescribeInstances)'],
  ['patches', 'Patch compliance items'],
  ['otherCompliance', 'Other compliance (associations, custom)'],
  ['applications', 'Applications'],
  ['errors', 'Ingest errors for this node'],
  ['history', 'Patch history: each time a patch was missing, and when it was fixed'],
] as const;

export function registerNode(program: Command): void {
  program
    .command('node')
    .description(
      'Everything about one node: status, tags, patches, other compliance, applications, ingest errors',
    )
    .argument('<node-id>', 'managed node id, e.g. i-0123456789abcdef0 or mi-0123456789abcdef0')
    .action(async (nodeId: string, _options: unknown, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      const engine = await openQueryEngine(context);
      try {
        const queries = nodeDetailQueries(nodeId, reportContext(context, engine));
        const compliance = await engine.run(queries.compliance);
        if (compliance.rows.length === 0) {
          throw new PatchboardError(
            'NOT_FOUND',
            `No node ${nodeId} in ${context.databasePath}. \`patchboard report node-compliance\` lists the nodes.`,
          );
        }
        const sections: Record<string, QueryResult> = { node: compliance };
        for (const [name] of SECTIONS) sections[name] = await engine.run(queries[name].compile());
        const generatedAt = evaluationTime(context);
        if (context.format === 'json') {
          const body = Object.fromEntries(
            Object.entries(sections).map(([name, r]) => [name, name === 'node' ? r.rows[0] : r.rows]),
          );
          await emit(
            `${JSON.stringify({ report: 'node', generatedAt, params: { node: nodeId }, ...body }, null, 2)}\n`,
            context.out,
          );
          return;
        }
        const titled = [['node', `Node ${nodeId}`] as const, ...SECTIONS];
        if (context.format === 'html' || context.format === 'pdf') {
          const html = renderHtmlDocument({
            title: `Node ${nodeId}`,
            facts: [['Evaluated at', generatedAt.replace('T', ' ').replace('Z', ' UTC')]],
            sections: titled.map(([name, heading]) => ({ heading, result: sections[name]! })),
          });
          await printDocument(context, html, `Patchboard node ${nodeId}`);
          return;
        }
        const format = context.format;
        const parts = titled.map(([name, title]) => {
          const rendered = renderReport(
            { report: name, generatedAt, params: { node: nodeId }, result: sections[name]! },
            format,
            context.interactive,
            terminalColumns(context),
          );
          return context.format === 'table' || context.format === 'md'
            ? `${context.format === 'md' ? '## ' : ''}${title}\n${rendered}`
            : rendered;
        });
        await emit(parts.join('\n'), context.out, format === 'table');
      } finally {
        await engine.close();
      }
    });
}
