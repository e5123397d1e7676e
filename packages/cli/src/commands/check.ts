import type { Command } from 'commander';
import { compileReport, judge, PatchboardError, ruleName } from '@patchboard/core';
import { reportContext, resolveContext, type GlobalOptions } from '../context.js';
import { printResult, withQueryEngine } from '../print.js';

const EXAMPLE = `check:
  - name: fleet compliance
    report: fleet-summary
    column: compliance_pct
    min: 95
  - name: no critical patch overdue
    report: overdue-patches
    params: { severity: CRITICAL }
    maxRows: 0`;

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description(
      'Judge the thresholds in the config file (`check:` rules over reports); exit 3 when one is breached, for CI and cron',
    )
    .action(async (_options: unknown, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      const rules = context.config.check;
      if (rules.length === 0) {
        throw new PatchboardError(
          'CONFIG',
          `No check rules are configured. Add a \`check:\` list to the config file (--config), e.g.\n${EXAMPLE}`,
        );
      }
      const outcomes = await withQueryEngine(context, async (engine) => {
        const judged = [];
        for (const rule of rules) {
          let compiled;
          try {
            compiled = compileReport(rule.report, rule.params, reportContext(context, engine));
          } catch (error) {
            throw new PatchboardError(
              'CONFIG',
              `check rule "${ruleName(rule)}": ${(error as Error).message}`,
              { cause: error },
            );
          }
          judged.push(judge(rule, await engine.run(compiled.query)));
        }
        return judged;
      });
      await printResult(context, {
        report: 'check',
        title: 'Threshold check',
        params: {},
        result: {
          columns: [
            { name: 'result', type: 'string' },
            { name: 'rule', type: 'string' },
            { name: 'observed', type: 'number' },
            { name: 'threshold', type: 'string' },
            { name: 'breached_by', type: 'string' },
          ],
          rows: outcomes.map((o) => ({
            result: o.passed ? 'PASS' : 'FAIL',
            rule: o.rule,
            observed: o.observed,
            threshold: o.threshold,
            breached_by: o.detail,
          })),
        },
      });
      const failed = outcomes.filter((o) => !o.passed);
      if (failed.length > 0) {
        throw new PatchboardError(
          'THRESHOLD',
          `${failed.length} of ${outcomes.length} checks failed: ${failed.map((o) => o.rule).join('; ')}.`,
        );
      }
    });
}
