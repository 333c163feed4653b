// Managers: a record's `manager` is the manager's mapping key; Plek wants the enterprise extension's
// `manager.value` = that person's Plek id. The run-wide facts (managerFacts) are taken once every record is decided
// and adoptions resolved, so a manager created in the same run is known; each decision's manager write
// (managerWriteOf) is then applied once, when finalise.ts makes the decision final:
//   - subordinate and manager both in Plek: a normal attribute change in the user's PATCH (only when it differs);
//   - a new subordinate whose manager is in Plek: in the POST body;
//   - a manager created in this run: a `manager` step, applied by the executor after the creates (ids resolved by
//     key). Each link is one write of its own, so a cycle (A manages B manages A) is two writes and no loop;
//   - a manager neither in Plek nor created in this run: an `unknownManager` Issue; the person still syncs and
//     Plek's manager is left as it is. An empty `manager` writes nothing (Plek's value is kept).
import { ENTERPRISE_USER_SCHEMA } from '../../scimPath';
import type { PatchOperation, ScimUser } from '../../types';
import type { AdoptStep, AttributeChange, CreateStep, ManagerStep, PlanIssue, PlannedStep, UpdateStep, UserRef } from '../types';
import type { Decision, PlanContext } from './decision';
import { createRefused, type ProtectionIndex } from './protected';
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
export function resolveManager(
	managerKey: string,
	subordinateKey: string,
	byKey: ReadonlyMap<string, Decision>,
	ctx: PlanContext,
	refused: (d: Decision) => boolean = () => false,
): ManagerTarget {
	if (managerKey === subordinateKey) {
		return { kind: 'unresolved', reason: `manager ${show(managerKey)} is the person themselves; no manager written.`, whatToDo: FIX_MANAGER };
	}
	const d = byKey.get(managerKey);
	if (d) {
		if (d.user && d.record && !d.record.active) {
			return { kind: 'unresolved', reason: `manager ${show(managerKey)} is inactive in the source (leaving, or left); no manager written.`, whatToDo: INACTIVE_MANAGER };
		}
		if (d.user) return { kind: 'inPlek', userId: d.user.id };
		if (d.steps.some((s) => s.kind === 'create')) {
			if (!refused(d)) return { kind: 'createdInRun', key: managerKey };
			return {
				kind: 'unresolved',
				reason: `manager ${show(managerKey)} would be created in this run, but that create is refused (it would give them a protected account's userName or e-mail address); no manager written.`,
				whatToDo: 'See the manager\'s own conflict: correct their userName or e-mail address in the source; the manager is written once the manager has a Plek account.',
			};
		}
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

/** The run-wide facts every manager write reads: the decided records by key, the manager cycles, Plek ids -> keys. */
export interface ManagerFacts {
	byKey: ReadonlyMap<string, Decision>;
	cycles: ReadonlyMap<string, string[]>;
	keyOfId: KeyOfId;
	/** Whether a drafted create will be refused by protection (a look-alike): not a manager created in this run. */
	createRefused: (d: Decision) => boolean;
}

/**
 * What a manager adds to one decision, decided from the run-wide facts; finalise.ts applies it once, when the
 * decision is made final (nothing here changes a decision).
 *   issue       unresolved: an `unknownManager` Issue, the person still syncs
 *   intoCreate  a new subordinate, manager in Plek: the manager goes into the POST body
 *   step        the manager is created in this run: a `manager` step after the creates
 *   intoPatch   both in Plek and Plek's manager differs: joins the user's PATCH
 *   same        Plek already has it
 */
export type ManagerWrite =
	| { kind: 'issue'; issue: PlanIssue; trace: string }
	| { kind: 'intoCreate'; managerId: string; managerKey: string; trace: string }
	| { kind: 'step'; step: ManagerStep; trace: string }
	| { kind: 'intoPatch'; user: ScimUser; managerId: string; change: AttributeChange; trace: string }
	| { kind: 'same'; trace: string };

function managerOperation(userId: string): PatchOperation {
	return { op: 'replace', path: MANAGER_PATH, value: { value: userId } };
}

/** A new subordinate whose manager is in Plek: a copy of the create with the manager in its POST body. */
function createWithManager(create: CreateStep, managerId: string, managerKey: string): CreateStep {
	const user = { ...(create.user as Record<string, unknown>) };
	const extension = isObject(user[ENTERPRISE_USER]) ? (user[ENTERPRISE_USER] as Record<string, unknown>) : {};
	user[ENTERPRISE_USER] = { ...extension, manager: { value: managerId } };
	const schemas = Array.isArray(user.schemas) ? (user.schemas as string[]) : [];
	if (!schemas.includes(ENTERPRISE_USER)) user.schemas = [...schemas, ENTERPRISE_USER];
	return { ...create, user: user as CreateStep['user'], changes: [...create.changes, { path: 'manager', before: undefined, after: managerKey }] };
}

/** A subordinate and manager both in Plek: the steps with the manager in the user's PATCH (an update first in line). */
function stepsWithPatch(steps: readonly PlannedStep[], key: string, user: ScimUser, managerId: string, change: AttributeChange): PlannedStep[] {
	const patch = steps.find((s): s is UpdateStep | AdoptStep => s.kind === 'update' || s.kind === 'adopt');
	if (patch) {
		const joined = { ...patch, operations: [...patch.operations, managerOperation(managerId)], changes: [...patch.changes, change] };
		return steps.map((s) => (s === patch ? joined : s));
	}
	const step: UpdateStep = {
		kind: 'update',
		key,
		userId: user.id,
		userName: user.userName,
		version: user.meta?.version,
		lastModified: user.meta?.lastModified,
		operations: [managerOperation(managerId)],
		changes: [change],
	};
	// The update leads the decision's writes (one PATCH per user: update, then (re)activation), as in decide.ts.
	return [step, ...steps];
}

/** The decision with its manager write: a new Decision (the draft is left as it was). */
export function withManager(d: Decision, write: ManagerWrite): Decision {
	const trace = d.trace && [...d.trace, write.trace];
	switch (write.kind) {
		case 'issue':
			return { ...d, issues: [...d.issues, write.issue], trace };
		case 'intoCreate':
			return { ...d, steps: d.steps.map((s) => (s.kind === 'create' ? createWithManager(s, write.managerId, write.managerKey) : s)), trace };
		case 'step':
			return { ...d, steps: [...d.steps, write.step], trace };
		case 'intoPatch':
			return { ...d, steps: stepsWithPatch(d.steps, d.key as string, write.user, write.managerId, write.change), trace };
		default:
			return trace ? { ...d, trace } : d;
	}
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

/** Where one subordinate's manager points: the cycle it is in, else resolveManager. */
function targetOf(d: Decision, managerKey: string, facts: ManagerFacts, ctx: PlanContext): ManagerTarget {
	const cycle = facts.cycles.get(d.key as string);
	if (!cycle) return resolveManager(managerKey, d.key as string, facts.byKey, ctx, facts.createRefused);
	return {
		kind: 'unresolved',
		reason: `managers form a cycle: ${[...cycle, cycle[0]].map((k) => show(k)).join(' is managed by ')}; no manager written.`,
		whatToDo: 'Fix the manager of one of these people in the source: a manager chain must end at someone without a manager.',
	};
}

/** The manager write of a decision that is matched to a Plek user (not created). */
function existingUserWrite(d: Decision, managerKey: string, target: Exclude<ManagerTarget, { kind: 'unresolved' }>, keyOfId: KeyOfId): ManagerWrite {
	const user = d.user as ScimUser;
	const beforeId = currentManagerId(user);
	if (target.kind === 'createdInRun') {
		return {
			kind: 'step',
			step: managerStep(d.key as string, { userId: user.id }, managerKey, keyOfId(beforeId)),
			trace: `Manager ${show(managerKey)} is created in this run: set after the creates (Plek has ${show(keyOfId(beforeId))}).`,
		};
	}
	if (beforeId === target.userId) return { kind: 'same', trace: `Manager ${show(managerKey)}: Plek already has it.` };
	return {
		kind: 'intoPatch',
		user,
		managerId: target.userId,
		change: { path: 'manager', before: keyOfId(beforeId), after: managerKey },
		trace: `Manager differs: ${show(keyOfId(beforeId))} -> ${show(managerKey)} (Plek user ${target.userId}).`,
	};
}

/** Whether a decision writes a manager: an active record that is created, or matched with updates on. */
function takesManager(d: Decision, ctx: PlanContext): boolean {
	const rec = d.record;
	if (!rec?.manager || !rec.active) return false;
	if (d.action === 'conflict' || d.action === 'invalid' || d.action === 'skipped') return false;
	if (d.steps.some((s) => s.kind === 'create')) return true;
	return d.user !== undefined && ctx.options.update;
}

/** One decided record's manager write, or undefined when it writes no manager (no manager, a leaver, a conflict...). */
export function managerWriteOf(d: Decision, facts: ManagerFacts, ctx: PlanContext): ManagerWrite | undefined {
	if (!takesManager(d, ctx)) return undefined;
	const managerKey = d.record?.manager as string;
	const target = targetOf(d, managerKey, facts, ctx);
	if (target.kind === 'unresolved') {
		return { kind: 'issue', issue: { type: 'unknownManager', key: d.key, action: 'manager', reason: target.reason, whatToDo: target.whatToDo }, trace: `Manager: ${target.reason}` };
	}
	if (!d.steps.some((s) => s.kind === 'create')) return existingUserWrite(d, managerKey, target, facts.keyOfId);
	if (target.kind === 'inPlek') {
		return { kind: 'intoCreate', managerId: target.userId, managerKey, trace: `Manager ${show(managerKey)} is Plek user ${target.userId}: set on create.` };
	}
	return { kind: 'step', step: managerStep(d.key as string, { key: d.key as string }, managerKey, undefined), trace: `Manager ${show(managerKey)} is created in this run too: set after the creates.` };
}

/** The run-wide manager facts over the decided records (call once adoptions are resolved); undefined when no record
 * names a manager (most runs: then no index of every decision is built). */
export function managerFacts(decisions: readonly Decision[], ctx: PlanContext, protection: ProtectionIndex): ManagerFacts | undefined {
	if (!decisions.some((d) => d.record?.manager)) return undefined;
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
	return { byKey, cycles: managerCycles(byKey), keyOfId, createRefused: (d) => createRefused(d, protection) };
}
