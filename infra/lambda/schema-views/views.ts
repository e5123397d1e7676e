import type { AthenaQueryEngine, AthenaView } from '@patchboard/engine-athena';
import { renderViewDdl } from '@patchboard/engine-athena';

type Executor = Pick<AthenaQueryEngine, 'execute'>;

/** In the schema's dependency order: inventory views first, then the history views built on them. */
export async function applyViews(engine: Executor, views: readonly AthenaView[]): Promise<void> {
  for (const view of views) await engine.execute({ sql: renderViewDdl(view), parameters: [] });
}

/** In reverse order, so no view outlives one it reads; a missing view is fine (IF EXISTS). */
export async function dropViews(engine: Executor, views: readonly AthenaView[]): Promise<void> {
  for (const view of [...views].reverse()) {
    await engine.execute({ sql: `DROP VIEW IF EXISTS ${view.name}`, parameters: [] });
  }
}
