import { v7 } from 'uuid';

/** A new row id: UUIDv7, so ids sort by creation time and index well. */
export function newId(): string {
  return v7();
}
