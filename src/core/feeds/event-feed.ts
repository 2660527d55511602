/**
 * A department's event feed (部门数据推送): one row per event about a person, named by resident ID
 * number — an emergency (fire, accident, sudden illness, natural disaster), a death, a disability
 * certificate, a serious-illness diagnosis, a referral for monitoring, or a rejected application.
 * Rows are checked here, every row and every field, before anything is written; an error names
 * the row and the field and never repeats the value (it may be an ID number).
 */
import { isIsoDate } from '../dates/dates.js';
import { EMERGENCY_KINDS, type EmergencyKind } from '../household/household.js';
import { isValidResidentId } from '../ids/resident-id.js';
import { checkRows, type RowIssue } from '../rows/check-rows.js';

export const FEED_EVENT_KINDS = [...EMERGENCY_KINDS.filter((k) => k !== 'death_of_earner'), 'death', 'disability', 'serious_illness', 'referral', 'rejected_application'] as const;
export type FeedEventKind = (typeof FEED_EVENT_KINDS)[number];

export interface FeedEvent {
  /** The row's number in the feed (1-based). */
  row: number;
  /** The source system's own id of the record: a record already applied is not applied again. */
  recordId: string;
  kind: FeedEventKind;
  idNumber: string;
  occurredOn: string;
  /** Disability grade 1 (most severe) … 4, for `disability`. */
  disabilityGrade: 1 | 2 | 3 | 4 | null;
}

export type FeedIssue = RowIssue;

export const isEmergencyKind = (k: FeedEventKind): k is Exclude<EmergencyKind, 'death_of_earner'> => (EMERGENCY_KINDS as readonly string[]).includes(k);

const FIELDS = new Set(['recordId', 'kind', 'idNumber', 'occurredOn', 'disabilityGrade']);

/** Checks every row; returns the events when all are valid, else every issue found. */
export function parseFeedRows(rows: readonly unknown[], today: string): { events: FeedEvent[]; issues: FeedIssue[] } {
  const { values, issues } = checkRows(rows, FIELDS, 'an event row', (o, add, row) => {
    const { recordId, kind, idNumber, occurredOn, disabilityGrade } = o;
    if (typeof kind !== 'string' || !(FEED_EVENT_KINDS as readonly string[]).includes(kind)) add('kind', `must be one of ${FEED_EVENT_KINDS.join(', ')}`);
    if (typeof idNumber !== 'string' || !isValidResidentId(idNumber)) add('idNumber', 'is not a valid resident ID number (GB 11643)');
    if (typeof occurredOn !== 'string' || !isIsoDate(occurredOn)) add('occurredOn', 'must be a date YYYY-MM-DD');
    else if (occurredOn > today) add('occurredOn', 'is in the future');
    if (kind === 'disability') {
      if (disabilityGrade !== 1 && disabilityGrade !== 2 && disabilityGrade !== 3 && disabilityGrade !== 4) add('disabilityGrade', 'must be 1, 2, 3 or 4 for a disability');
    } else if (disabilityGrade !== undefined && disabilityGrade !== null) add('disabilityGrade', 'is only for a disability');
    return () => ({
      row, recordId: recordId as string, kind: kind as FeedEventKind, idNumber: idNumber as string, occurredOn: occurredOn as string,
      disabilityGrade: kind === 'disability' ? (disabilityGrade as 1 | 2 | 3 | 4) : null,
    });
  });
  return { events: values, issues };
}
