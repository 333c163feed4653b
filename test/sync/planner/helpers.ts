// Shared set-up of the planner's per-rule tests.
import { planSync } from '../../../core/sync/planner';
import type { SyncOptions } from '../../../core/sync/types';
import type { PlekUserRecord, ScimGroup, ScimUser } from '../../../core/types';

export { createdGroup, ENT, group, plekUser, record, WORK_EMAIL } from '../builders';

export function plan(records: unknown[], users: ScimUser[] = [], groups: ScimGroup[] = [], options: SyncOptions = {}) {
	return planSync(records as PlekUserRecord[], { users, groups }, options);
}
