// The sync planner: desired Plek user records + Plek's current users and groups + options -> a plan.
// A pure function (like `terraform plan`): no I/O, no clock, no randomness. Everything is keyed by Maps, so the
// work is linear in the number of users and group memberships.
//
// Rules (DESIGN.md section 4; each has its own test in test/sync/planner.test.ts):
// - key not in Plek, active -> create (externalId = key); or adopt an unmanaged account with the same
//   userName / e-mail when adoptUnmanaged allows it, instead of creating a duplicate
// - key in Plek, profile differs -> PATCH replace of the changed attributes only (createOnly skipped; an empty
//   source value removes the Plek value only with clearEmptyValues)
// - source inactive -> deactivate; Plek inactive but source active -> reactivate
// - managed user missing from the source -> nothing, or deactivate with deactivateMissing
// - source inactive and not in Plek -> skip (leavers are never created)
// - group rules add only; removeFromRuleGroups removes from rule-managed groups; createMissingGroups
// - a Plek user without externalId is never touched except by adoption
// - new key whose userName / e-mail belongs to a managed user whose key vanished -> conflict (key changed)
// - duplicate keys in the input -> all rejected
// - guards: too many deactivations, or an empty / shrunken input with deactivations -> blocked

import {
	buildPatchOperations,
	CORE_USER_SCHEMA,
	formatScimPath,
	isEmptyValue,
	parseScimPath,
	readScimPath,
	scimPathKey,
	valuesEqual,
	writeScimPath,
	type ScimPath,
} from '../scimPath';
import type { PatchOperation, PlekUserRecord, ProfileValue, ScimGroup, ScimUser, ScimUserDraft } from '../types';
import {
	DEFAULT_SYNC_OPTIONS,
	type AdoptMode,
	type AttributeChange,
	type BlockedInfo,
	type ChangeItem,
	type GroupMemberStep,
	type PlanCounts,
	type PlanIssue,
	type PlannedStep,
	type ResolvedSyncOptions,
	type SyncOptions,
	type SyncPlan,
	type UserRef,
} from './types';

export interface CurrentState {
	users: ScimUser[];
	groups: ScimGroup[];
}

/** Fills in defaults; unknown / wrongly typed values fall back to the default. */
export function resolveSyncOptions(options: SyncOptions = {}): ResolvedSyncOptions {
	const d = DEFAULT_SYNC_OPTIONS;
	const bool = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);
	const num = (value: unknown, fallback: number) =>
		typeof value === 'number' && !Number.isNaN(value) ? value : fallback;
	const adoptModes: AdoptMode[] = ['off', 'userName', 'email', 'userNameOrEmail'];
	return {
		create: bool(options.create, d.create),
		update: bool(options.update, d.update),
		deactivate: bool(options.deactivate, d.deactivate),
		reactivate: bool(options.reactivate, d.reactivate),
		groups: bool(options.groups, d.groups),
		deactivateMissing: bool(options.deactivateMissing, d.deactivateMissing),
		adoptUnmanaged: adoptModes.includes(options.adoptUnmanaged as AdoptMode)
			? (options.adoptUnmanaged as AdoptMode)
			: d.adoptUnmanaged,
		clearEmptyValues: bool(options.clearEmptyValues, d.clearEmptyValues),
		removeFromRuleGroups: bool(options.removeFromRuleGroups, d.removeFromRuleGroups),
		createMissingGroups: bool(options.createMissingGroups, d.createMissingGroups),
		managedGroups: Array.isArray(options.managedGroups)
			? options.managedGroups.filter((g): g is string => typeof g === 'string' && g.trim() !== '')
			: [],
		maxDeactivations: num(options.maxDeactivations, d.maxDeactivations),
		maxDeactivationPercent: num(options.maxDeactivationPercent, d.maxDeactivationPercent),
		minSourceRatio: num(options.minSourceRatio, d.minSourceRatio),
		explainKey: typeof options.explainKey === 'string' ? options.explainKey : undefined,
	};
}

/** Paths a profile may not set: they are identity/lifecycle fields the planner owns, or read-only. */
const RESERVED_ATTRIBUTES = new Set(['id', 'externalid', 'meta', 'schemas', 'active', 'username', 'groups']);
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const MAX_KEY_LENGTH = 1024;
const MAX_VALUE_LENGTH = 65536;

interface ProfileEntry {
	path: string;
	parsed: ScimPath;
	pathKey: string;
	value: ProfileValue;
}

interface ValidRecord {
	index: number;
	key: string;
	userName?: string;
	active: boolean;
	profile: ProfileEntry[];
	createOnly: Set<string>;
	/** Group names as given (deduplicated case-insensitively). */
	groups: string[];
	groupKeys: Set<string>;
	emails: string[];
}

const lower = (s: string) => s.toLowerCase();
const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function emptyCounts(): PlanCounts {
	return {
		create: 0,
		update: 0,
		deactivate: 0,
		reactivate: 0,
		adopt: 0,
		groupAdd: 0,
		groupRemove: 0,
		groupCreate: 0,
		unchanged: 0,
		skipped: 0,
		conflicts: 0,
		invalid: 0,
	};
}

function userEmails(user: ScimUser): string[] {
	let list: unknown;
	for (const key of Object.keys(user)) if (key.toLowerCase() === 'emails') list = user[key];
	if (!Array.isArray(list)) return [];
	const result: string[] = [];
	for (const element of list) {
		if (!isObject(element)) continue;
		for (const key of Object.keys(element)) {
			const value = element[key];
			if (key.toLowerCase() === 'value' && typeof value === 'string' && value !== '') result.push(value);
		}
	}
	return result;
}

/**
 * Plans a sync. `desired` may come from any node, so every record is checked; a bad record becomes an issue,
 * never an exception. Does not mutate its arguments.
 */
export function planSync(
	desired: readonly PlekUserRecord[],
	current: CurrentState,
	options: SyncOptions = {},
): SyncPlan {
	const o = resolveSyncOptions(options);
	const steps: PlannedStep[] = [];
	const issues: PlanIssue[] = [];
	const counts = emptyCounts();
	const explainKey = o.explainKey;
	const trace: string[] | undefined = explainKey !== undefined ? [] : undefined;
	const sayFor = (key: string | undefined) =>
		trace !== undefined && key === explainKey ? (line: string) => void trace.push(line) : undefined;

	// ---- 1. Check the input records ------------------------------------------------------------------------
	const pathCache = new Map<string, ScimPath | string>();
	const parsePath = (path: string): ScimPath | string => {
		let cached = pathCache.get(path);
		if (cached === undefined) {
			try {
				cached = parseScimPath(path);
			} catch (error) {
				cached = (error as Error).message;
			}
			pathCache.set(path, cached);
		}
		return cached;
	};

	const records = Array.isArray(desired) ? desired : [];
	/** Every key seen in the input, valid or not: a managed user whose key is here is never "missing". */
	const presentKeys = new Set<string>();
	const keyCount = new Map<string, number>();
	const candidates: ValidRecord[] = [];
	records.forEach((raw: unknown, index) => {
		const problems: string[] = [];
		const record = isObject(raw) ? raw : undefined;
		const key = record?.key;
		const validKey = typeof key === 'string' && key.trim() !== '' && key.length <= MAX_KEY_LENGTH && !CONTROL_CHARACTERS.test(key);
		if (typeof key === 'string' && key !== '') {
			presentKeys.add(key);
			keyCount.set(key, (keyCount.get(key) ?? 0) + 1);
		}
		if (!record) {
			problems.push('the record is not an object');
		} else {
			if (!validKey) {
				problems.push(
					typeof key !== 'string' || key.trim() === ''
						? 'the mapping key ("key") is missing or empty'
						: 'the mapping key is too long or contains control characters',
				);
			}
			if (typeof record.active !== 'boolean') problems.push('"active" must be true or false');
			const userName = record.userName;
			if (userName !== undefined && userName !== null) {
				if (typeof userName !== 'string' || userName.trim() === '') problems.push('"userName" must be a non-empty string');
				else if (CONTROL_CHARACTERS.test(userName) || userName.length > MAX_KEY_LENGTH) {
					problems.push('"userName" is too long or contains control characters');
				}
			}
		}
		const profile: ProfileEntry[] = [];
		const createOnly = new Set<string>();
		const groups: string[] = [];
		const groupKeys = new Set<string>();
		const emails: string[] = [];
		if (record) {
			const rawProfile = record.profile ?? {};
			if (!isObject(rawProfile)) {
				problems.push('"profile" must be an object of SCIM path -> value');
			} else {
				const seenPaths = new Map<string, string>();
				for (const path of Object.keys(rawProfile)) {
					const value = rawProfile[path];
					const parsed = parsePath(path);
					if (typeof parsed === 'string') {
						problems.push(parsed);
						continue;
					}
					const attribute = lower(parsed.attribute);
					if (!parsed.schema && RESERVED_ATTRIBUTES.has(attribute)) {
						problems.push(`profile path "${path}" is not allowed: ${attribute === 'username' ? 'use the record\'s "userName"' : 'the sync sets it itself'}`);
						continue;
					}
					if (!parsed.schema && attribute === 'photos') {
						problems.push(`profile path "${path}" is refused: Plek does not sync profile pictures`);
						continue;
					}
					if (parsed.filter && parsed.subAttribute === undefined) {
						problems.push(`profile path "${path}" addresses a whole element; name a sub-attribute, as in emails[type eq "work"].value`);
						continue;
					}
					if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
						problems.push(`profile value of "${path}" must be text, a number, true/false or null`);
						continue;
					}
					if (typeof value === 'number' && !Number.isFinite(value)) {
						problems.push(`profile value of "${path}" is not a finite number`);
						continue;
					}
					if (typeof value === 'string' && value.length > MAX_VALUE_LENGTH) {
						problems.push(`profile value of "${path}" is longer than ${MAX_VALUE_LENGTH} characters`);
						continue;
					}
					const pathKey = scimPathKey(parsed);
					const earlier = seenPaths.get(pathKey);
					if (earlier !== undefined) {
						problems.push(`profile paths "${earlier}" and "${path}" address the same attribute`);
						continue;
					}
					seenPaths.set(pathKey, path);
					profile.push({ path, parsed, pathKey, value: value as ProfileValue });
					if (
						!parsed.schema &&
						attribute === 'emails' &&
						lower(parsed.subAttribute ?? 'value') === 'value' &&
						typeof value === 'string' &&
						value !== ''
					) {
						emails.push(value);
					}
				}
			}
			const rawCreateOnly = record.createOnly ?? [];
			if (!Array.isArray(rawCreateOnly)) {
				problems.push('"createOnly" must be a list of profile paths');
			} else {
				for (const path of rawCreateOnly) {
					const parsed = typeof path === 'string' ? parsePath(path) : 'a createOnly entry is not a path';
					if (typeof parsed === 'string') problems.push(`createOnly: ${parsed}`);
					else createOnly.add(scimPathKey(parsed));
				}
			}
			const rawGroups = record.groups ?? [];
			if (!Array.isArray(rawGroups)) {
				problems.push('"groups" must be a list of group names');
			} else {
				for (const group of rawGroups) {
					if (typeof group !== 'string' || group.trim() === '' || CONTROL_CHARACTERS.test(group)) {
						problems.push(`group name ${JSON.stringify(group)} is not a usable group name`);
						continue;
					}
					if (!groupKeys.has(lower(group))) {
						groupKeys.add(lower(group));
						groups.push(group);
					}
				}
			}
		}
		const keyText = typeof key === 'string' ? key : undefined;
		const say = sayFor(keyText);
		if (problems.length > 0) {
			counts.invalid++;
			issues.push({
				type: 'invalid',
				key: keyText,
				action: 'input',
				reason: `Record #${index + 1} is invalid: ${problems.join('; ')}.`,
				whatToDo: 'Fix the mapping (Plek Mapper rules) or the source data for this record; it was left out of the sync.',
			});
			say?.(`Input record #${index + 1}: invalid, left out: ${problems.join('; ')}.`);
			return;
		}
		const rec = record as Record<string, unknown>;
		candidates.push({
			index,
			key: key as string,
			userName: typeof rec.userName === 'string' ? rec.userName : undefined,
			active: rec.active as boolean,
			profile,
			createOnly,
			groups,
			groupKeys,
			emails,
		});
	});

	// Duplicate keys: every record with the key is rejected (never "first wins").
	let valid: ValidRecord[] = [];
	for (const rec of candidates) {
		const count = keyCount.get(rec.key) ?? 0;
		if (count > 1) {
			counts.invalid++;
			issues.push({
				type: 'duplicateKey',
				key: rec.key,
				action: 'input',
				reason: `The mapping key ${JSON.stringify(rec.key)} appears ${count} times in the input (record #${rec.index + 1}); all of them were rejected.`,
				whatToDo: 'Make the mapping key unique per person (e.g. the AD objectGUID or the HR employee id).',
			});
			sayFor(rec.key)?.(`Input record #${rec.index + 1}: key appears ${count} times in the input; rejected, Plek is not changed for it.`);
		} else {
			valid.push(rec);
		}
	}
	// Duplicate userNames among active records would make the second create fail (or, worse, be "resolved" to
	// the first person's account): all of them are rejected.
	const activeUserNames = new Map<string, number>();
	for (const rec of valid) {
		if (rec.active && rec.userName) activeUserNames.set(lower(rec.userName), (activeUserNames.get(lower(rec.userName)) ?? 0) + 1);
	}
	valid = valid.filter((rec) => {
		const n = rec.active && rec.userName ? (activeUserNames.get(lower(rec.userName)) ?? 0) : 0;
		if (n <= 1) return true;
		counts.conflicts++;
		issues.push({
			type: 'conflict',
			key: rec.key,
			action: 'input',
			reason: `The userName ${JSON.stringify(rec.userName)} is used by ${n} active records in the input; none of them was synced.`,
			whatToDo: 'Give every active person a unique userName in the source or the mapping.',
		});
		sayFor(rec.key)?.(`userName ${show(rec.userName)} is used by ${n} active input records: rejected.`);
		return false;
	});

	// ---- 2. Index Plek's state ----------------------------------------------------------------------------
	const usersById = new Map<string, ScimUser>();
	const byExternalId = new Map<string, ScimUser>();
	const duplicateExternalIds = new Set<string>();
	const byUserName = new Map<string, ScimUser>();
	const byEmail = new Map<string, ScimUser[]>();
	let managedActive = 0;
	for (const user of current.users ?? []) {
		if (!user || typeof user.id !== 'string') continue;
		usersById.set(user.id, user);
		if (typeof user.externalId === 'string' && user.externalId !== '') {
			if (byExternalId.has(user.externalId)) duplicateExternalIds.add(user.externalId);
			else byExternalId.set(user.externalId, user);
			if (user.active !== false) managedActive++;
		}
		if (typeof user.userName === 'string') byUserName.set(lower(user.userName), user);
		for (const email of userEmails(user)) {
			const list = byEmail.get(lower(email));
			if (list) {
				if (!list.includes(user)) list.push(user);
			} else byEmail.set(lower(email), [user]);
		}
	}
	const isManaged = (user: ScimUser) => typeof user.externalId === 'string' && user.externalId !== '';

	const groupsByName = new Map<string, ScimGroup | 'ambiguous'>();
	const membersByGroup = new Map<string, Set<string>>();
	for (const group of current.groups ?? []) {
		if (!group || typeof group.displayName !== 'string') continue;
		const name = lower(group.displayName);
		groupsByName.set(name, groupsByName.has(name) ? 'ambiguous' : group);
		const members = new Set<string>();
		for (const member of group.members ?? []) if (member && typeof member.value === 'string') members.add(member.value);
		membersByGroup.set(group.id, members);
	}

	// ---- 3. Decide per record -------------------------------------------------------------------------------
	/** Managed users implicated in a key-change conflict: never deactivated as "missing" in this run. */
	const protectedFromMissing = new Set<string>();
	/** Users matched to an input record in this run (managed or adopted), with the record. */
	const matched = new Map<string, ValidRecord>();
	const groupCreates = new Map<string, string>();
	const missingGroups = new Map<string, { name: string; users: number }>();
	const ambiguousGroups = new Set<string>();
	let inactiveInSource = 0;
	let missingFromSource = 0;

	const conflict = (rec: ValidRecord, action: string, reason: string, whatToDo: string, userId?: string) => {
		counts.conflicts++;
		issues.push({ type: 'conflict', key: rec.key, action, reason, whatToDo, userId });
		sayFor(rec.key)?.(`Conflict (${action}): ${reason}`);
	};

	const describeUser = (user: ScimUser) =>
		`Plek user id ${user.id} (userName ${show(user.userName)}${isManaged(user) ? `, externalId ${show(user.externalId)}` : ', no externalId'}, ${user.active === false ? 'inactive' : 'active'})`;

	/** Group adds for an active record; userId undefined for a user created in this run. */
	const planGroups = (rec: ValidRecord, userId: string | undefined): GroupMemberStep[] => {
		const say = sayFor(rec.key);
		if (!o.groups) {
			if (rec.groups.length > 0) say?.('Groups: group rules switched off (option "groups"); no membership changes.');
			return [];
		}
		const planned: GroupMemberStep[] = [];
		const userRef: UserRef = userId !== undefined ? { userId } : { key: rec.key };
		for (const name of rec.groups) {
			const group = groupsByName.get(lower(name));
			if (group === 'ambiguous') {
				ambiguousGroups.add(name);
				say?.(`Group ${show(name)}: several Plek groups have this name; skipped.`);
				continue;
			}
			if (group) {
				if (userId !== undefined && membersByGroup.get(group.id)?.has(userId)) {
					say?.(`Group ${show(group.displayName)}: already a member.`);
					continue;
				}
				say?.(`Group ${show(group.displayName)}: rule matches, not a member yet -> add.`);
				planned.push({ kind: 'groupAdd', groupName: group.displayName, groupId: group.id, key: rec.key, userRef });
				continue;
			}
			if (o.createMissingGroups) {
				if (!groupCreates.has(lower(name))) groupCreates.set(lower(name), name);
				const groupName = groupCreates.get(lower(name)) as string;
				say?.(`Group ${show(name)}: not in Plek -> create the group (createMissingGroups) and add.`);
				planned.push({ kind: 'groupAdd', groupName, key: rec.key, userRef });
			} else {
				const entry = missingGroups.get(lower(name)) ?? { name, users: 0 };
				entry.users++;
				missingGroups.set(lower(name), entry);
				say?.(`Group ${show(name)}: does not exist in Plek; not added (createMissingGroups is off).`);
			}
		}
		return planned;
	};

	/** Attribute writes for an existing (or adopted) user. */
	const diffProfile = (rec: ValidRecord, user: ScimUser, adopting: boolean) => {
		const say = sayFor(rec.key);
		const changes: AttributeChange[] = [];
		const writes: Array<{ path: string; value: ProfileValue | undefined }> = [];
		if (!o.update) {
			say?.('Attributes: updates switched off (option "update"); not compared.');
			return { changes, writes };
		}
		if (rec.userName !== undefined && !valuesEqual(user.userName, rec.userName, 'userName')) {
			const holder = byUserName.get(lower(rec.userName));
			if (holder && holder !== user) {
				const holderKey = isManaged(holder) ? `key ${show(holder.externalId)}` : 'an unmanaged account';
				conflict(
					rec,
					'update',
					`userName ${show(rec.userName)} already used by ${holderKey} (Plek user id ${holder.id}); the userName of this user was not changed.`,
					'Resolve the duplicate userName in the source, or free it in Plek first.',
					user.id,
				);
			} else {
				say?.(`Attribute userName differs: ${show(user.userName)} -> ${show(rec.userName)}.`);
				changes.push({ path: 'userName', before: user.userName, after: rec.userName });
				writes.push({ path: 'userName', value: rec.userName });
			}
		}
		let equal = 0;
		for (const entry of rec.profile) {
			if (rec.createOnly.has(entry.pathKey)) {
				say?.(`Attribute ${entry.path}: create-only, skipped (${adopting ? 'adopted' : 'existing'} user).`);
				continue;
			}
			const before = readScimPath(user, entry.parsed);
			if (isEmptyValue(entry.value)) {
				if (isEmptyValue(before)) {
					equal++;
				} else if (o.clearEmptyValues) {
					say?.(`Attribute ${entry.path}: empty in source, Plek has ${show(before)} -> remove (clearEmptyValues).`);
					changes.push({ path: entry.path, before, after: null });
					writes.push({ path: formatScimPath(entry.parsed), value: null });
				} else {
					say?.(`Attribute ${entry.path}: empty in source, Plek has ${show(before)}; kept (clearEmptyValues is off).`);
				}
				continue;
			}
			if (valuesEqual(before, entry.value, entry.parsed)) {
				equal++;
				continue;
			}
			say?.(`Attribute ${entry.path} differs: ${show(before)} -> ${show(entry.value)}.`);
			changes.push({ path: entry.path, before, after: entry.value });
			writes.push({ path: formatScimPath(entry.parsed), value: entry.value });
		}
		say?.(`Attributes: ${changes.length} differ, ${equal} equal.`);
		return { changes, writes };
	};

	/** The decision for a record matched to a Plek user (by externalId, or by adoption). */
	const planExisting = (rec: ValidRecord, user: ScimUser, adoptedBy?: 'userName' | 'email') => {
		const say = sayFor(rec.key);
		const version = user.meta?.version;
		const before = steps.length;
		matched.set(user.id, rec);
		if (!rec.active) {
			if (user.active === false) {
				say?.('Source says inactive and the Plek user is already inactive: nothing to do.');
				counts.unchanged++;
			} else if (o.deactivate) {
				inactiveInSource++;
				counts.deactivate++;
				say?.('Source says inactive, Plek user is active -> deactivate (PATCH active=false).');
				steps.push({
					kind: 'deactivate',
					key: rec.key,
					userId: user.id,
					userName: user.userName,
					version,
					reason: 'inactive in source',
					operations: [{ op: 'replace', path: 'active', value: false }],
				});
			} else {
				counts.skipped++;
				say?.('Source says inactive, but deactivation is switched off (option "deactivate"): skipped.');
			}
			return;
		}
		const { changes, writes } = diffProfile(rec, user, adoptedBy !== undefined);
		if (adoptedBy) {
			const operations: PatchOperation[] = [
				{ op: 'replace', path: 'externalId', value: rec.key },
				...buildPatchOperations(user, writes),
			];
			counts.adopt++;
			say?.(`Adopt: PATCH externalId=${show(rec.key)}${writes.length ? ` and ${writes.length} attribute(s)` : ''}.`);
			steps.push({
				kind: 'adopt',
				key: rec.key,
				userId: user.id,
				userName: user.userName,
				version,
				matchedBy: adoptedBy,
				operations,
				changes: [{ path: 'externalId', before: undefined, after: rec.key }, ...changes],
			});
		} else if (writes.length > 0) {
			const operations = buildPatchOperations(user, writes);
			counts.update++;
			say?.(`Update: PATCH /Users/${user.id} ${JSON.stringify(operations)}.`);
			steps.push({ kind: 'update', key: rec.key, userId: user.id, userName: user.userName, version, operations, changes });
		}
		if (user.active === false) {
			if (o.reactivate) {
				counts.reactivate++;
				say?.('Plek user is inactive, source says active -> reactivate (PATCH active=true).');
				steps.push({
					kind: 'reactivate',
					key: rec.key,
					userId: user.id,
					userName: user.userName,
					version,
					reason: 'active in source',
					operations: [{ op: 'replace', path: 'active', value: true }],
				});
			} else {
				say?.('Plek user is inactive, source says active, but reactivation is switched off (option "reactivate").');
			}
		}
		for (const step of planGroups(rec, user.id)) {
			counts.groupAdd++;
			steps.push(step);
		}
		if (steps.length === before) {
			counts.unchanged++;
			say?.('Decision: unchanged, nothing to write.');
		}
	};

	const adoptFields = (mode: AdoptMode) => ({
		userName: mode === 'userName' || mode === 'userNameOrEmail',
		email: mode === 'email' || mode === 'userNameOrEmail',
	});
	const adopt = adoptFields(o.adoptUnmanaged);
	const adoptionClaims = new Map<string, Array<{ rec: ValidRecord; by: 'userName' | 'email' }>>();

	const planNew = (rec: ValidRecord) => {
		const say = sayFor(rec.key);
		say?.(`Plek: no user with externalId ${show(rec.key)}.`);
		if (!rec.active) {
			counts.skipped++;
			say?.('Source says inactive and the key is not in Plek: skipped (leavers are never created).');
			return;
		}
		// Who already holds this userName / these e-mail addresses?
		const byName = rec.userName !== undefined ? byUserName.get(lower(rec.userName)) : undefined;
		if (byName) say?.(`userName ${show(rec.userName)} belongs to ${describeUser(byName)}.`);
		if (byName && isManaged(byName)) {
			const otherKey = byName.externalId as string;
			if (presentKeys.has(otherKey)) {
				conflict(
					rec,
					'create',
					`userName ${show(rec.userName)} already used by ${show(otherKey)} (Plek user id ${byName.id}); not created.`,
					`Two people map to the same userName: fix the userName of ${show(rec.key)} or ${show(otherKey)} in the source or mapping.`,
					byName.id,
				);
			} else {
				protectedFromMissing.add(byName.id);
				conflict(
					rec,
					'create',
					`mapping key changed: userName ${show(rec.userName)} belongs to Plek user id ${byName.id}, managed under key ${show(otherKey)}, which is no longer in the input. The new key ${show(rec.key)} is probably the same person; nothing was created.`,
					`The mapping key must never change. Restore the old key in the mapping, or set the externalId of Plek user ${byName.id} to ${show(rec.key)} (Plek node: update user) and run again.`,
					byName.id,
				);
			}
			return;
		}
		const emailHolders: ScimUser[] = [];
		for (const email of rec.emails) {
			for (const user of byEmail.get(lower(email)) ?? []) if (!emailHolders.includes(user)) emailHolders.push(user);
		}
		const vanished = emailHolders.find((u) => isManaged(u) && !presentKeys.has(u.externalId as string));
		if (vanished) {
			protectedFromMissing.add(vanished.id);
			conflict(
				rec,
				'create',
				`mapping key changed: e-mail ${show(rec.emails.join(', '))} belongs to Plek user id ${vanished.id} (userName ${show(vanished.userName)}), managed under key ${show(vanished.externalId)}, which is no longer in the input. The new key ${show(rec.key)} is probably the same person; nothing was created.`,
				`The mapping key must never change. Restore the old key in the mapping, or set the externalId of Plek user ${vanished.id} to ${show(rec.key)} (Plek node: update user) and run again.`,
				vanished.id,
			);
			return;
		}
		if (byName) {
			// Unmanaged account with the same userName.
			if (adopt.userName) {
				say?.(`Adoption candidate by userName: ${describeUser(byName)}.`);
				const claims = adoptionClaims.get(byName.id) ?? [];
				claims.push({ rec, by: 'userName' });
				adoptionClaims.set(byName.id, claims);
			} else {
				conflict(
					rec,
					'create',
					`userName ${show(rec.userName)} is already used by an unmanaged Plek account (id ${byName.id}, no externalId); not created.`,
					'If it is the same person, enable "Adopt Unmanaged Accounts" (by userName) so the sync takes the account over; otherwise change the userName.',
					byName.id,
				);
			}
			return;
		}
		if (adopt.email) {
			const unmanaged = emailHolders.filter((u) => !isManaged(u));
			if (unmanaged.length > 1) {
				conflict(
					rec,
					'adopt',
					`e-mail ${show(rec.emails.join(', '))} matches ${unmanaged.length} unmanaged Plek accounts (ids ${unmanaged.map((u) => u.id).join(', ')}); none adopted, nothing created.`,
					'Merge or remove the duplicate Plek accounts, or adopt by userName.',
				);
				return;
			}
			if (unmanaged.length === 1) {
				say?.(`Adoption candidate by e-mail: ${describeUser(unmanaged[0])}.`);
				const claims = adoptionClaims.get(unmanaged[0].id) ?? [];
				claims.push({ rec, by: 'email' });
				adoptionClaims.set(unmanaged[0].id, claims);
				return;
			}
		}
		if (!o.create) {
			counts.skipped++;
			say?.('Would be created, but creation is switched off (option "create"): skipped.');
			return;
		}
		if (rec.userName === undefined) {
			counts.invalid++;
			issues.push({
				type: 'invalid',
				key: rec.key,
				action: 'create',
				reason: 'The record has no userName, so the user cannot be created.',
				whatToDo: 'Map a userName (usually the work e-mail or UPN) in the Plek Mapper.',
			});
			say?.('Not in Plek and no userName: cannot create (issue).');
			return;
		}
		const user: Record<string, unknown> = {
			schemas: [CORE_USER_SCHEMA],
			externalId: rec.key,
			userName: rec.userName,
			active: true,
		};
		const changes: AttributeChange[] = [
			{ path: 'userName', before: undefined, after: rec.userName },
			{ path: 'active', before: undefined, after: true },
		];
		for (const entry of rec.profile) {
			if (isEmptyValue(entry.value)) continue;
			writeScimPath(user, entry.parsed, entry.value);
			changes.push({ path: entry.path, before: undefined, after: entry.value });
		}
		const groupSteps = planGroups(rec, undefined);
		counts.create++;
		say?.(`Create: POST /Users ${JSON.stringify(user)}.`);
		steps.push({ kind: 'create', key: rec.key, user: user as ScimUserDraft, groups: groupSteps.map((s) => s.groupName), changes });
		for (const step of groupSteps) {
			counts.groupAdd++;
			steps.push(step);
		}
	};

	for (const rec of valid) {
		const say = sayFor(rec.key);
		say?.(
			`Input record #${rec.index + 1}: key ${show(rec.key)}, userName ${show(rec.userName)}, active=${rec.active}, ${rec.profile.length} profile value(s), groups ${show(rec.groups)}.`,
		);
		if (duplicateExternalIds.has(rec.key)) {
			conflict(
				rec,
				'match',
				`several Plek users have externalId ${show(rec.key)}; none was changed.`,
				'Remove or clear the externalId of the duplicate Plek accounts so exactly one remains.',
			);
			continue;
		}
		const user = byExternalId.get(rec.key);
		if (user) {
			say?.(`Plek: found by externalId -> ${describeUser(user)}.`);
			planExisting(rec, user);
		} else {
			planNew(rec);
		}
	}

	// Adoptions: an unmanaged account claimed by exactly one record is adopted; claimed by several, none is.
	for (const [userId, claims] of adoptionClaims) {
		const user = usersById.get(userId) as ScimUser;
		if (claims.length > 1) {
			for (const { rec } of claims) {
				conflict(
					rec,
					'adopt',
					`the unmanaged Plek account id ${userId} (userName ${show(user.userName)}) matches ${claims.length} input records (${claims.map((c) => show(c.rec.key)).join(', ')}); none adopted, nothing created.`,
					'Make userName / e-mail unique per person in the source.',
					userId,
				);
			}
			continue;
		}
		const { rec, by } = claims[0];
		sayFor(rec.key)?.(`Adopted by ${by}: ${describeUser(user)} becomes managed under key ${show(rec.key)}.`);
		planExisting(rec, user, by);
	}

	// Group removals: only from groups the rules manage, only members matched to an active input record.
	if (o.groups && o.removeFromRuleGroups) {
		const managedGroupNames = new Set<string>(o.managedGroups.map(lower));
		for (const rec of valid) for (const g of rec.groupKeys) managedGroupNames.add(g);
		for (const name of managedGroupNames) {
			const group = groupsByName.get(name);
			if (!group || group === 'ambiguous') continue;
			for (const userId of membersByGroup.get(group.id) ?? []) {
				const rec = matched.get(userId);
				if (!rec || !rec.active || rec.groupKeys.has(name)) continue;
				const user = usersById.get(userId);
				if (!user) continue;
				sayFor(rec.key)?.(`Group ${show(group.displayName)}: rule-managed, no rule puts this user there any more -> remove (removeFromRuleGroups).`);
				counts.groupRemove++;
				steps.push({ kind: 'groupRemove', groupName: group.displayName, groupId: group.id, key: rec.key, userRef: { userId } });
			}
		}
	}

	// Managed users missing from the input.
	if (explainKey !== undefined && !presentKeys.has(explainKey)) {
		const user = byExternalId.get(explainKey);
		trace?.push(`Key ${show(explainKey)} is not in the input.`);
		if (!user) trace?.push('Plek has no user with this externalId either: nothing to do.');
		else trace?.push(`Plek: found by externalId -> ${describeUser(user)}.`);
	}
	for (const user of byExternalId.values()) {
		const key = user.externalId as string;
		if (presentKeys.has(key) || duplicateExternalIds.has(key) || user.active === false) continue;
		const say = sayFor(key);
		if (!o.deactivateMissing) {
			say?.('Missing from the source: left alone (deactivateMissing is off).');
			continue;
		}
		if (protectedFromMissing.has(user.id)) {
			say?.('Missing from the source, but a new key in the input looks like the same person (key-change conflict): not deactivated.');
			continue;
		}
		if (!o.deactivate) {
			say?.('Missing from the source, but deactivation is switched off (option "deactivate").');
			continue;
		}
		missingFromSource++;
		counts.deactivate++;
		say?.('Missing from the source -> deactivate (deactivateMissing).');
		steps.push({
			kind: 'deactivate',
			key,
			userId: user.id,
			userName: user.userName,
			version: user.meta?.version,
			reason: 'missing from source',
			operations: [{ op: 'replace', path: 'active', value: false }],
		});
	}

	// Group creates go before the adds that need them (the executor runs them first anyway).
	const createSteps: PlannedStep[] = [...groupCreates.values()].map((displayName) => ({ kind: 'groupCreate', displayName }));
	counts.groupCreate = createSteps.length;
	steps.push(...createSteps);

	for (const { name, users } of missingGroups.values()) {
		issues.push({
			type: 'missingGroup',
			action: 'groupAdd',
			groupName: name,
			count: users,
			reason: `group ${name} does not exist in Plek; ${users} user(s) were not added to it.`,
			whatToDo: `Create the group "${name}" in Plek, fix the group rule, or enable "Create Missing Groups".`,
		});
	}
	for (const name of ambiguousGroups) {
		counts.conflicts++;
		issues.push({
			type: 'conflict',
			action: 'groupAdd',
			groupName: name,
			reason: `several Plek groups are named ${name}; no members were added to any of them.`,
			whatToDo: 'Rename or remove the duplicate groups in Plek so the name is unique.',
		});
	}

	// ---- 4. Guards ----------------------------------------------------------------------------------------
	const blocked = checkGuards(o, {
		deactivations: inactiveInSource + missingFromSource,
		inactiveInSource,
		missingFromSource,
		managedActive,
		inputRecords: valid.length,
	});
	if (blocked) trace?.push(`The whole plan is blocked: ${blocked.reason}`);

	const plan: SyncPlan = { steps, issues, counts, changes: changesFromSteps(steps) };
	if (blocked) plan.blocked = blocked;
	if (trace) plan.explanation = trace;
	return plan;
}

function checkGuards(
	o: ResolvedSyncOptions,
	c: { deactivations: number; inactiveInSource: number; missingFromSource: number; managedActive: number; inputRecords: number },
): BlockedInfo | undefined {
	if (c.deactivations === 0) return undefined;
	const problems: string[] = [];
	const advice: string[] = [];
	if (c.inputRecords === 0) {
		problems.push('the input is empty (an empty source never deactivates anyone)');
		advice.push('check the source node and the Mapper: they produced no valid records');
	} else if (o.minSourceRatio > 0 && c.inputRecords < o.minSourceRatio * c.managedActive) {
		problems.push(
			`the input has only ${c.inputRecords} valid record(s) for ${c.managedActive} managed active Plek users (fewer than ${o.minSourceRatio * 100}%: a shrunken source never deactivates anyone)`,
		);
		advice.push(`if the source really shrank, lower "Min Source Ratio" below ${(c.inputRecords / Math.max(1, c.managedActive)).toFixed(2)}`);
	}
	if (o.maxDeactivations >= 0 && c.deactivations > o.maxDeactivations) {
		problems.push(`${c.deactivations} deactivations exceed the limit of ${o.maxDeactivations} per run`);
		advice.push(`raise "Max Deactivations" to ${c.deactivations} or more`);
	}
	const percent = c.managedActive > 0 ? (c.deactivations * 100) / c.managedActive : 100;
	if (o.maxDeactivationPercent >= 0 && percent > o.maxDeactivationPercent) {
		problems.push(
			`${c.deactivations} of ${c.managedActive} managed active users is ${percent.toFixed(1)}%, over the limit of ${o.maxDeactivationPercent}%`,
		);
		advice.push(`raise "Max Deactivation Percent" to ${Math.ceil(percent)} or more`);
	}
	if (problems.length === 0) return undefined;
	const reason =
		`Sync blocked, nothing was written: ${c.deactivations} deactivation(s) planned ` +
		`(${c.inactiveInSource} inactive in the source, ${c.missingFromSource} missing from the source), but ${problems.join('; and ')}. ` +
		`If these deactivations are intended: ${advice.join('; ')}. Run with Dry Run to see the full plan.`;
	return {
		reason,
		counts: {
			deactivations: c.deactivations,
			inactiveInSource: c.inactiveInSource,
			missingFromSource: c.missingFromSource,
			managedActive: c.managedActive,
			inputRecords: c.inputRecords,
			maxDeactivations: o.maxDeactivations,
			maxDeactivationPercent: o.maxDeactivationPercent,
			minSourceRatio: o.minSourceRatio,
		},
	};
}

/** One change item per user (and per created group), in plan order. */
export function changesFromSteps(steps: readonly PlannedStep[]): ChangeItem[] {
	const byKey = new Map<string, ChangeItem>();
	const items: ChangeItem[] = [];
	const itemFor = (key: string): ChangeItem => {
		let item = byKey.get(key);
		if (!item) {
			item = { kind: 'user', key, actions: [], status: 'planned', attributes: [], groups: { added: [], removed: [] } };
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
				item.userName = typeof step.user.userName === 'string' ? step.user.userName : undefined;
				item.attributes.push(...step.changes);
				break;
			case 'update':
			case 'adopt':
				item.userId = step.userId;
				item.userName = step.userName;
				item.attributes.push(...step.changes);
				break;
			case 'deactivate':
			case 'reactivate':
				item.userId = step.userId;
				item.userName = step.userName;
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
		}
	}
	return items;
}
