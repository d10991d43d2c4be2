import React from 'react';
import { Stack } from '@grafana/ui';

/**
 * The child of a Field that is a group of inputs (checkboxes, key/value rows) or plain text. Field hands its child
 * `invalid`, which a DOM element would render as an attribute; this component takes it and drops it.
 */
export function FieldGroup({
  children,
  direction = 'row',
}: {
  children: React.ReactNode;
  direction?: 'row' | 'column';
  invalid?: boolean;
}) {
  return (
    <Stack direction={direction} gap={direction === 'row' ? 2 : 1} wrap="wrap">
      {children}
    </Stack>
  );
}
