/** What a use case states when it appends an audit row: ids only, never personal data. */
import type { AuditEntry } from '../../core/security/index.js';

export interface AuditInput {
  actorId: string | null;
  role: string | null;
  action: string;
  objectType: string;
  objectId?: string | null;
  /** The stated purpose or reason (never personal data). */
  purpose?: string | null;
  result: AuditEntry['result'];
  requestId?: string | null;
}
