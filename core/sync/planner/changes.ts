// The Changes view: one item per user (and per created group), in plan order, derived from the steps.
import type { ChangeItem, PlannedStep } from '../types';

/** Who a change is about, beside its key (from the decision: the record, else the Plek user). */
export type IdentifyKey = (key: string) => { userName?: string; displayName?: string; leavesOn?: string } | undefined;

/** One change item per user (and per created group), in plan order. */
export function changesFromSteps(steps: readonly PlannedStep[], identify?: IdentifyKey): ChangeItem[] {
	const byKey = new Map<string, ChangeItem>();
	const items: ChangeItem[] = [];
	const itemFor = (key: string): ChangeItem => {
		let item = byKey.get(key);
		if (!item) {
			item = { kind: 'user', key, actions: [], status: 'planned', attributes: [], groups: { added: [], removed: [] } };
			const who = identify?.(key);
			if (who?.userName !== undefined) item.userName = who.userName;
			if (who?.displayName !== undefined) item.displayName = who.displayName;
			if (who?.leavesOn !== undefined) item.leavesOn = who.leavesOn;
			byKey.set(key, item);
			items.push(item);
		}
		return item;
	};
	for (const step of steps) {
		if (step.kind === 'groupCreate') {
			items.push({
				kind: 'group',
				groupName: step.displayName,
				actions: ['groupCreate'],
				status: 'planned',
				attributes: [],
				groups: { added: [], removed: [] },
			});
			continue;
		}
		const item = itemFor(step.key);
		if (!item.actions.includes(step.kind)) item.actions.push(step.kind);
		switch (step.kind) {
			case 'create':
				// ScimUserDraft is an Omit<> over an index-signature type, so its fields are `unknown`.
				item.userName = typeof step.user.userName === 'string' ? step.user.userName : item.userName;
				item.attributes.push(...step.changes);
				break;
			case 'update':
			case 'adopt':
				item.userId = step.userId;
				item.userName ??= step.userName;
				item.attributes.push(...step.changes);
				break;
			case 'deactivate':
			case 'reactivate':
				item.userId = step.userId;
				item.userName ??= step.userName;
				item.reason = step.reason;
				item.attributes.push({ path: 'active', before: step.kind === 'reactivate' ? false : true, after: step.kind === 'reactivate' });
				break;
			case 'groupAdd':
				if ('userId' in step.userRef) item.userId = step.userRef.userId;
				item.groups.added.push(step.groupName);
				break;
			case 'groupRemove':
				if ('userId' in step.userRef) item.userId = step.userRef.userId;
				item.groups.removed.push(step.groupName);
				break;
			case 'manager':
				if ('userId' in step.userRef) item.userId = step.userRef.userId;
				item.attributes.push({ path: 'manager', before: step.before, after: step.managerKey });
				break;
		}
	}
	return items;
}
