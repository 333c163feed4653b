// The Changes view: one item per user (and per created group), in plan order, derived from the change set's steps;
// after a run, each item's status, error and new Plek id come from the outcomes the executor recorded on its steps.
import type { ChangeItem, PlannedStep, RunOutcomes } from '../types';

/** Who a change is about, beside its key (from the decision: the record, else the Plek user). */
export type IdentifyKey = (key: string) => { userName?: string; displayName?: string; leavesOn?: string } | undefined;

const emptyItem = (): Pick<ChangeItem, 'status' | 'attributes' | 'groups'> => ({ status: 'planned', attributes: [], groups: { added: [], removed: [] } });

/** What one step adds to its person's item. */
function addStep(item: ChangeItem, step: Exclude<PlannedStep, { kind: 'groupCreate' }>): void {
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
		case 'groupRemove':
			if ('userId' in step.userRef) item.userId = step.userRef.userId;
			(step.kind === 'groupAdd' ? item.groups.added : item.groups.removed).push(step.groupName);
			break;
		case 'manager':
			if ('userId' in step.userRef) item.userId = step.userRef.userId;
			item.attributes.push({ path: 'manager', before: step.before, after: step.managerKey });
			break;
	}
}

/** An item's status after a run, from its steps' outcomes: done, failed, partial, or not attempted at all. */
function settle(item: ChangeItem, steps: readonly PlannedStep[], outcomes: RunOutcomes): void {
	const errors: string[] = [];
	let unsent = 0;
	for (const step of steps) {
		const result = outcomes.get(step);
		if (!result) unsent++;
		else if (result.status === 'failed') errors.push(result.error ?? 'failed');
		else if (result.userId !== undefined && item.userId === undefined) item.userId = result.userId;
	}
	item.status = unsent === steps.length ? 'notAttempted' : errors.length === 0 && unsent === 0 ? 'done' : errors.length === steps.length ? 'failed' : 'partial';
	if (errors.length > 0) item.error = [...new Set(errors)].join('; ');
}

/** One change item per user (and per created group), in plan order; with a run's outcomes, each item settled. */
export function changesFromSteps(steps: readonly PlannedStep[], identify?: IdentifyKey, outcomes?: RunOutcomes): ChangeItem[] {
	const byKey = new Map<string, { item: ChangeItem; steps: PlannedStep[] }>();
	const entries: Array<{ item: ChangeItem; steps: PlannedStep[] }> = [];
	for (const step of steps) {
		if (step.kind === 'groupCreate') {
			entries.push({ item: { kind: 'group', groupName: step.displayName, actions: ['groupCreate'], ...emptyItem() }, steps: [step] });
			continue;
		}
		let entry = byKey.get(step.key);
		if (!entry) {
			const item: ChangeItem = { kind: 'user', key: step.key, actions: [], ...emptyItem() };
			const who = identify?.(step.key);
			if (who?.userName !== undefined) item.userName = who.userName;
			if (who?.displayName !== undefined) item.displayName = who.displayName;
			if (who?.leavesOn !== undefined) item.leavesOn = who.leavesOn;
			entry = { item, steps: [] };
			byKey.set(step.key, entry);
			entries.push(entry);
		}
		entry.steps.push(step);
		addStep(entry.item, step);
	}
	if (outcomes) for (const entry of entries) settle(entry.item, entry.steps, outcomes);
	return entries.map((entry) => entry.item);
}
