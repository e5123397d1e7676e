import type { ReactNode } from 'react';
import { showInvisible } from '@patchboard/core/visible-text';

/** A labelled drop-down whose empty choice means "any". */
export function Select(props: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
  anyLabel?: string;
}): ReactNode {
  return (
    <label className="field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">{props.anyLabel ?? 'any'}</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {showInvisible(option)}
          </option>
        ))}
      </select>
    </label>
  );
}
