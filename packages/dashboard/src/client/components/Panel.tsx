import type { ReactNode } from 'react';
import type { Loaded } from '../api';

/** A titled box that shows its content once loaded, or the server's message when it failed. */
export function Panel<T>(props: {
  title: string;
  loaded: Loaded<T>;
  actions?: ReactNode;
  testId?: string;
  children: (data: T) => ReactNode;
}): ReactNode {
  const { loaded } = props;
  return (
    <section className="panel" data-testid={props.testId}>
      <header>
        <h2>{props.title}</h2>
        {props.actions}
      </header>
      {loaded.error ? (
        <p className="error" role="alert">
          {loaded.error}
        </p>
      ) : loaded.data === undefined ? (
        <p className="loading">Loading…</p>
      ) : (
        props.children(loaded.data)
      )}
    </section>
  );
}
