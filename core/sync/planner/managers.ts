// Managers: a record's `manager` is the manager's mapping key; Plek wants the enterprise extension's
// `manager.value` = that person's Plek id. One pass after every record is decided (and adoptions resolved), so a
// manager created in the same run is known:
//   - subordinate and manager both in Plek: a normal attribute change in the user's PATCH (only when it differs);
//   - a new subordinate whose manager is in Plek: in the POST body;
//   - a manager created in this run: a `manager` step, applied by the executor after the creates (ids resolved by
//     key). Each link is one write of its own, so a cycle (A manages B manages A) is two writes and no loop;
//   - a manager neither in Plek nor created in this run: an `unknownManager` Issue; the person still syncs and
//     Plek's manager is left as it is. An empty `manager` writes nothing (Plek's value is kept).
import { ENTERPRISE_USER_SCHEMA } from '../../scimPath';
import type { PatchOperation, ScimUser } from '../../types';
import type { AdoptStep, AttributeChange, CreateStep, ManagerStep, UpdateStep, UserRef } from '../types';
import { addIssue, addStep, type Decision, type PlanContext } from './decision';
import { show } from './text';

/** The enterprise extension's URN, as core/scimPath defines it (one definition). */
export const ENTERPRISE_USER = ENTERPRISE_USER_SCHEMA;
/** The PATCH path: the whole complex value (`...:manager.value` is refused by servers such as scimmy). */
export const MANAGER_PATH = `${ENTERPRISE_USER}:manager`;

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Plek's manager id of a user (enterprise `manager.value`), if set. */
export function currentManagerId(user: ScimUser): string | undefined {
	const extension = user[ENTERPRISE_USER];
	const manager = isObject(extension) ? extension.manager : undefined;
	const value = isObject(manager) ? manager.value : undefined;
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Where a manager key points: a Plek user, a person created in this run, or nowhere (with why). */
export type ManagerTarget =
	| { kind: 'inPlek'; userId: string }
	| { kind: 'createdInRun'; key: string }
	| { kind: 'unresolved'; reason: string; whatToDo: string };

const INACTIVE_MANAGER = 'Give the person an active manager in the source (an inactive or leaving manager is never written).';

const FIX_MANAGER = 'Check the manager mapping (it must give the manager\'s mapping key, the same value as their "key") and that the manager is in the source.';

/** Resolves one manager key against this run's decisions (input records by key), then Plek. */
export function resolveManager(managerKey: string, subordinateKey: string, byKey: ReadonlyMap<string, Decision>, ctx: PlanContext): ManagerTarget {
	if (managerKey === subordinateKey) {
		return { kind: 'unresolved', reason: `manager ${show(managerKey)} is the person themselves; no manager written.`, whatToDo: FIX_MANAGER };
	}
	const d = byKey.get(managerKey);
	if (d) {
		if (d.user && d.record && !d.record.active) {
			return { kind: 'unresolved', reason: `manager ${show(managerKey)} is inactive in the source (leaving, or left); no manager written.`, whatToDo: INACTIVE_MANAGER };
		}
		if (d.user) return { kind: 'inPlek', userId: d.user.id };
		if (d.steps.some((s) => s.kind === 'create')) return { kind: 'createdInRun', key: managerKey };
		return {
			kind: 'unresolved',
			reason: `manager ${show(managerKey)} is in the source but has no Plek account and is not created in this run (${d.rule}); no manager written.`,
			whatToDo: 'See the manager\'s own Issue or Explain their mapping key; the manager is written once the manager has a Plek account.',
		};
	}
	if (ctx.dir.duplicateExternalIds.has(managerKey)) {
		return { kind: 'unresolved', reason: `several Plek users have externalId ${show(managerKey)}, so the manager is ambiguous; no manager written.`, whatToDo: 'Remove or clear the externalId of the duplicate Plek accounts so exactly one remains.' };
	}
	const manager = ctx.dir.managedUser(managerKey);
	if (manager?.active === false) {
		return { kind: 'unresolved', reason: `manager ${show(managerKey)} is inactive in Plek and not in the source; no manager written.`, whatToDo: INACTIVE_MANAGER };
	}
	if (manager && ctx.options.deactivateMissing && ctx.options.deactivate) {
		return { kind: 'unresolved', reason: `manager ${show(managerKey)} is missing from the source, so Deactivate Missing may deactivate them in this run; no manager written.`, whatToDo: INACTIVE_MANAGER };
	}
	if (manager) return { kind: 'inPlek', userId: manager.id };
	return { kind: 'unresolved', reason: `manager ${show(managerKey)} is neither in Plek nor in the source; no manager written.`, whatToDo: FIX_MANAGER };
}

/** The mapping key of the Plek user with this id (for readable before/after), else the id. */
type KeyOfId = (id: string | undefined) => string | undefined;

function managerOperation(userId: string): PatchOperation {
	return { op: 'replace', path: MANAGER_PATH, value: { value: userId } };
}

/** A new subordinate whose manager is in Plek: the manager goes into the POST body. */
function intoCreate(create: CreateStep, managerId: string, managerKey: string): void {
	const user = create.user as Record<string, unknown>;
	const extension = isObject(user[ENTERPRISE_USER]) ? (user[ENTERPRISE_USER] as Record<string, unknown>) : {};
	user[ENTERPRISE_USER] = { ...extension, manager: { value: managerId } };
	const schemas = Array.isArray(user.schemas) ? (user.schemas as string[]) : [];
	if (!schemas.includes(ENTERPRISE_USER)) user.schemas = [...schemas, ENTERPRISE_USER];
	create.changes.push({ path: 'manager', before: undefined, after: managerKey });
}

/** A subordinate and manager both in Plek: the manager joins the user's PATCH (an update step first in line). */
function intoPatch(d: Decision, user: ScimUser, managerId: string, change: AttributeChange): void {
	const patch = d.steps.find((s): s is UpdateStep | AdoptStep => s.kind === 'update' || s.kind === 'adopt');
	if (patch) {
		patch.operations.push(managerOperation(managerId));
		patch.changes.push(change);
		return;
	}
	const step: UpdateStep = {
		kind: 'update',
		key: d.key as string,
		userId: user.id,
		userName: user.userName,
		version: user.meta?.version,
		lastModified: user.meta?.lastModified,
		operations: [managerOperation(managerId)],
		changes: [change],
	};
	addStep(d, step);
	// The update leads the decision's writes (one PATCH per user: update, then (re)activation), as in decide.ts.
	d.steps = [step, ...d.steps.filter((s) => s !== step)];
}

function managerStep(key: string, userRef: UserRef, managerKey: string, before: string | undefined): ManagerStep {
	return { kind: 'manager', key, userRef, managerKey, managerRef: { key: managerKey }, before };
}

/** Keys whose manager chain (through this run's records) comes back to them: A manages B manages A. */
export function managerCycles(byKey: ReadonlyMap<string, Decision>): Map<string, string[]> {
	const cycles = new Map<string, string[]>();
	for (const [key, d] of byKey) {
		if (cycles.has(key) || !d.record?.manager || d.record.manager === key) continue;
		const chain = [key];
		let next: string | undefined = d.record.manager;
		while (next !== undefined && !chain.includes(next) && chain.length <= byKey.size) {
			chain.push(next);
			next = byKey.get(next)?.record?.manager;
		}
		if (next === key) for (const member of chain) cycles.set(member, chain);
	}
	return cycles;
}

/** One subordinate: its manager written where it belongs, or the Issue why not. */
function planOne(d: Decision, managerKey: string, byKey: ReadonlyMap<string, Decision>, ctx: PlanContext, keyOfId: KeyOfId, cycle?: string[]): void {
	const target: ManagerTarget = cycle
		? { kind: 'unresolved', reason: `managers form a cycle: ${[...cycle, cycle[0]].map((k) => show(k)).join(' is managed by ')}; no manager written.`, whatToDo: 'Fix the manager of one of these people in the source: a manager chain must end at someone without a manager.' }
		: resolveManager(managerKey, d.key as string, byKey, ctx);
	if (target.kind === 'unresolved') {
		addIssue(d, { type: 'unknownManager', key: d.key, action: 'manager', reason: target.reason, whatToDo: target.whatToDo });
		d.trace?.push(`Manager: ${target.reason}`);
		return;
	}
	const create = d.steps.find((s): s is CreateStep => s.kind === 'create');
	if (create) {
		if (target.kind === 'inPlek') {
			intoCreate(create, target.userId, managerKey);
			d.trace?.push(`Manager ${show(managerKey)} is Plek user ${target.userId}: set on create.`);
		} else {
			addStep(d, managerStep(d.key as string, { key: d.key as string }, managerKey, undefined));
			d.trace?.push(`Manager ${show(managerKey)} is created in this run too: set after the creates.`);
		}
		return;
	}
	const user = d.user as ScimUser;
	const beforeId = currentManagerId(user);
	if (target.kind === 'createdInRun') {
		addStep(d, managerStep(d.key as string, { userId: user.id }, managerKey, keyOfId(beforeId)));
		d.trace?.push(`Manager ${show(managerKey)} is created in this run: set after the creates (Plek has ${show(keyOfId(beforeId))}).`);
		return;
	}
	if (beforeId === target.userId) {
		d.trace?.push(`Manager ${show(managerKey)}: Plek already has it.`);
		return;
	}
	d.trace?.push(`Manager differs: ${show(keyOfId(beforeId))} -> ${show(managerKey)} (Plek user ${target.userId}).`);
	intoPatch(d, user, target.userId, { path: 'manager', before: keyOfId(beforeId), after: managerKey });
}

/** Whether a decision writes a manager: an active record that is created, or matched with updates on. */
function takesManager(d: Decision, ctx: PlanContext): boolean {
	const rec = d.record;
	if (!rec?.manager || !rec.active) return false;
	if (d.action === 'conflict' || d.action === 'invalid' || d.action === 'skipped') return false;
	if (d.steps.some((s) => s.kind === 'create')) return true;
	return d.user !== undefined && ctx.options.update;
}

/** The managers of every decided record (call once adoptions are resolved, before protection and the guards). */
export function planManagers(decisions: readonly Decision[], ctx: PlanContext): void {
	// Most runs map no manager at all: then no index of every decision is built.
	if (!decisions.some((d) => d.record?.manager)) return;
	const byKey = new Map<string, Decision>();
	for (const d of decisions) if (d.record && d.key !== undefined) byKey.set(d.key, d);
	let keyById: Map<string, string> | undefined;
	const keyOfId: KeyOfId = (id) => {
		if (id === undefined) return undefined;
		if (!keyById) {
			keyById = new Map();
			for (const [externalId, position] of ctx.dir.byExternalId) keyById.set(ctx.dir.listed[position].id, externalId);
		}
		return keyById.get(id) ?? id;
	};
	const cycles = managerCycles(byKey);
	for (const d of decisions) if (takesManager(d, ctx)) planOne(d, d.record?.manager as string, byKey, ctx, keyOfId, cycles.get(d.key as string));
}
