import { Text } from 'ink';
import { fit } from '../printable.js';

export interface TextFieldProps {
  value: string;
  width: number;
  active: boolean;
  invalid?: boolean;
}

/** A one-line input shown as [value▏]; the newest characters stay visible when it overflows. */
export function TextField({ value, width, active, invalid }: TextFieldProps) {
  const room = Math.max(1, width - 2);
  const shown = active ? `${value}▏` : value;
  const tail = Array.from(shown).slice(-room).join('');
  return (
    <Text color={invalid ? 'red' : active ? 'cyan' : undefined}>
      [{fit(tail, room)}]
    </Text>
  );
}
