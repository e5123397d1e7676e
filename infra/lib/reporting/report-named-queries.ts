import { aws_athena as athena } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { compileReport, policySchema, REPORTS, runsOn, trinoDialect } from '@patchboard/core';

export interface ReportNamedQueriesProps {
  readonly database: string;
  readonly workgroup: athena.CfnWorkGroup;
}

/** Evaluation time the SQL is compiled at; only bound parameter values depend on it, never the text. */
const COMPILE_TIME = Date.UTC(2026, 0, 1);

export interface ReportQuery {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly sql: string;
  readonly parameterCount: number;
}

/**
 * Every catalogue report Athena can answer, as its Trino SQL with default parameters: the AWS recipe's seven
 * among them, unchanged. Values stay `?` placeholders: Athena asks for them when the saved query is run
 * (`patchboard report <id> --engine athena` fills them in).
 */
export function reportQueries(): ReportQuery[] {
  const context = { policy: policySchema.parse({}), now: COMPILE_TIME, dialect: trinoDialect };
  return REPORTS.filter((report) => runsOn(report, 'athena')).map((report) => {
    // A report's example parameters (which some need to compile at all) stay `?` placeholders in the saved SQL.
    const { query } = compileReport(report.id, report.example ?? {}, context);
    const parameters = query.parameters.length;
    return {
      id: report.id,
      name: report.id.startsWith('recipe-')
        ? report.title.replace('AWS recipe: ', '')
        : `patchboard-${report.id}`,
      description:
        `${report.description}${parameters > 0 ? ` Takes ${parameters} execution parameter(s); patchboard report ${report.id} --engine athena --print-sql shows them.` : ''}`.slice(
          0,
          1024,
        ),
      sql: query.sql,
      parameterCount: parameters,
    };
  });
}

export class ReportNamedQueries extends Construct {
  readonly queries: readonly athena.CfnNamedQuery[];

  constructor(scope: Construct, id: string, props: ReportNamedQueriesProps) {
    super(scope, id);
    this.queries = reportQueries().map((q) => {
      const named = new athena.CfnNamedQuery(this, q.id, {
        name: q.name,
        description: q.description,
        database: props.database,
        workGroup: props.workgroup.ref,
        queryString: q.sql,
      });
      named.addResourceDependency(props.workgroup);
      return named;
    });
  }
}
