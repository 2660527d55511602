/** Who is asking: the signed-in user as every use case sees them. */
import { can, type Permission, type Role } from '../../core/security/index.js';
import { AppError } from '../errors.js';

export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  /** Region subtree the user may see (a code prefix). */
  scopeRegion: string;
  organisationId: string | null;
  requestId: string | null;
}

/** Throws FORBIDDEN unless the actor's role grants the permission. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) throw new AppError('FORBIDDEN', 'you do not have permission for this action');
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return can(actor.role, permission);
}
