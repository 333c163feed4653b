// The re-check after create conflicts (issue 23). A planned create that meets an account the listing did not show
// (a 409, or the lookup made before a create once the listing is doubted) is evidence that the listing was
// incomplete. Those keys are planned again, by the planner itself, against a fresh listing plus the accounts the
// lookups found: the same rules decide as on the planned path (an update in place for the key's own account,
// adoption only as Adopt Existing Accounts allows, a conflict otherwise). Nothing is adopted or created past it
// by the transport.
import type { CreateConflict, PlekUserRecord, ScimUser } from '../types';
import type { ActionCounts, SyncResult } from './types';

/** The records to plan again, and the Plek users to plan them against (the fresh listing plus the holders). */
export function recheckInput(
	desired: readonly PlekUserRecord[],
	conflicts: readonly CreateConflict[],
	freshUsers: readonly ScimUser[],
): { records: PlekUserRecord[]; users: ScimUser[]; keys: Set<string> } {
	const keys = new Set(conflicts.map((c) => c.key));
	const users = [...freshUsers];
	const listed = new Set(users.map((u) => u.id));
	for (const { holder } of conflicts) {
		if (!listed.has(holder.id)) {
			listed.add(holder.id);
			users.push(holder);
		}
	}
	return { records: desired.filter((r) => keys.has(r.key)), users, keys };
}

function add(a: ActionCounts, b: ActionCounts): ActionCounts {
	const out = { ...a };
	for (const key of Object.keys(b) as Array<keyof ActionCounts>) out[key] = (a[key] ?? 0) + (b[key] ?? 0);
	return out;
}

/**
 * One result of the run and its re-check: what the first pass said about the re-checked keys is replaced by what
 * the re-check decided and did (the first pass's conflict and its group steps for the key); the rest adds up.
 */
export function mergeRecheck(first: SyncResult, second: SyncResult, keys: ReadonlySet<string>): SyncResult {
	const rechecked = (key: string | undefined) => key !== undefined && keys.has(key);
	const dropped = first.issues.filter((i) => rechecked(i.key) && i.type === 'failed').length;
	return {
		...first,
		summary: {
			...first.summary,
			planned: add(first.summary.planned, second.summary.planned),
			done: add(first.summary.done, second.summary.done),
			alreadyExisted: first.summary.alreadyExisted + second.summary.alreadyExisted,
			failed: Math.max(0, first.summary.failed - dropped) + second.summary.failed,
			conflicts: first.summary.conflicts + second.summary.conflicts,
			requests: second.summary.requests,
			durationMs: second.summary.durationMs,
			rechecked: keys.size,
		},
		changes: [...first.changes.filter((c) => !(c.kind === 'user' && rechecked(c.key))), ...second.changes],
		issues: [...first.issues.filter((i) => !rechecked(i.key)), ...second.issues],
	};
}

/** The re-check could not read Plek (its writes are done): each key it was for gets an Issue saying so. */
export function recheckFailed(first: SyncResult, conflicts: readonly CreateConflict[], error: unknown): SyncResult {
	const message = error instanceof Error ? error.message : String(error);
	const keys = [...new Set(conflicts.map((c) => c.key))];
	return {
		...first,
		issues: [
			...first.issues,
			...keys.map((key) => ({
				type: 'failed' as const,
				key,
				action: 'recheck',
				reason: `The create of ${JSON.stringify(key)} met a Plek account the listing did not show, and re-reading Plek to decide it again failed: ${message}`,
				whatToDo: 'Plek was unavailable while the run re-read it; the next run reads the whole list again and decides this person then.',
			})),
		],
	};
}
