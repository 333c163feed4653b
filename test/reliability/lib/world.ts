/**
 * The fault soak's world: a seeded population of people, the source records it produces, the source changes between
 * runs (joiners, leavers, moves, renames, rehires), and the check that Plek holds exactly the desired state except for
 * the users a run's Issues name. Shared by the core-level soak and its real-n8n seed.
 */
import { readScimPath } from '../../../core/scimPath';
import type { SyncOptions } from '../../../core/sync/types';
import type { PlekUserRecord } from '../../../core/types';
import { createRandom, type Random } from '../../../sandbox/prng';
import type { RunningSandbox } from '../../../sandbox/server';
import { ENTERPRISE as ENT, PLEK_EXTENSION as PLEK } from '../../support/scim';

export { ENT, PLEK };
const DEPARTMENTS = ['Care', 'Cure', 'Finance', 'IT', 'HR', 'Facilities', 'Kitchen', 'Research'];
const TITLES = ['Nurse', 'Clerk', 'Cook', 'Doctor', 'Engineer'];
const CITIES = ['Utrecht', 'Zwolle', 'Deventer', 'Arnhem'];

/** Every rule group a record can name: with removeFromRuleGroups the sync keeps exactly these memberships right. */
export const RULE_GROUPS = ['All staff', ...DEPARTMENTS.map((d) => `Dept ${d}`)];

/** Sync options of every soak run: the whole life cycle on, guards off (the soak's leavers are intended). */
export const SOAK_OPTIONS: SyncOptions = {
	createMissingGroups: true,
	removeFromRuleGroups: true,
	deactivateMissing: true,
	maxDeactivations: -1,
	maxDeactivationPercent: -1,
	minSourceRatio: 0,
	// Issue 22's guards (group creates / removals, adoptions, renames, manager changes): off too, the soak's changes are intended.
	maxGroupCreates: -1,
	maxGroupRemovals: -1,
	maxAdoptions: -1,
	maxRenames: -1,
	maxManagerChanges: -1,
};

export interface Person {
	i: number;
	key: string;
	given: string;
	family: string;
	userName: string;
	dept: string;
	title: string;
	city: string;
	/** Active in the source. */
	active: boolean;
	/** In the source at all (false: a leaver missing from the export). */
	inSource: boolean;
}

export interface ChangeCounts {
	joiners: number;
	leaversInactive: number;
	leaversMissing: number;
	moves: number;
	renames: number;
	rehires: number;
}

export class World {
	readonly people: Person[] = [];
	readonly random: Random;
	private generation = 0;

	constructor(
		readonly seed: number,
		size: number,
	) {
		this.random = createRandom(seed * 7919 + 1);
		for (let i = 0; i < size; i++) this.people.push(this.newPerson());
	}

	private pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.random() * list.length)];
	}

	private newPerson(): Person {
		const i = this.people.length;
		return {
			i,
			key: `s${this.seed}-${String(i).padStart(5, '0')}`,
			given: `Given${i}`,
			family: `Family ${i}`,
			userName: `user${i}.s${this.seed}@acme.nl`,
			dept: this.pick(DEPARTMENTS),
			title: this.pick(TITLES),
			city: this.pick(CITIES),
			active: true,
			inSource: true,
		};
	}

	record(p: Person): PlekUserRecord {
		return {
			key: p.key,
			userName: p.userName,
			active: p.active,
			profile: {
				'name.givenName': p.given,
				'name.familyName': p.family,
				'emails[type eq "work"].value': p.userName,
				title: p.title,
				[`${ENT}:department`]: p.dept,
				[`${PLEK}:location`]: p.city,
			},
			groups: ['All staff', `Dept ${p.dept}`],
		};
	}

	/** The source export as the next run reads it. */
	source(): PlekUserRecord[] {
		return this.people.filter((p) => p.inSource).map((p) => this.record(p));
	}

	/** Plek before the first run: `fraction` of the people already managed, half of them out of date, plus
	 * `unmanaged` accounts without an externalId the sync must never touch. */
	initialPlek(fraction: number, unmanaged: number): { users: Record<string, unknown>[]; groups: Record<string, unknown>[] } {
		const users: Record<string, unknown>[] = this.people.slice(0, Math.round(this.people.length * fraction)).map((p, n) => ({
			schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
			externalId: p.key,
			userName: p.userName,
			active: n % 17 !== 0,
			name: { givenName: n % 2 ? 'Stale' : p.given, familyName: p.family },
			emails: [{ type: 'work', value: p.userName }],
		}));
		for (let n = 0; n < unmanaged; n++) {
			users.push({
				schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
				userName: `admin${n}.s${this.seed}@acme.nl`,
				active: true,
				name: { givenName: 'Admin', familyName: `${n}` },
			});
		}
		return { users, groups: [{ displayName: 'All staff', members: [] }] };
	}

	/** One round of source changes, each kind about `rate` of the population. */
	change(rate: number): ChangeCounts {
		this.generation++;
		const n = Math.max(1, Math.round(this.people.length * rate));
		const counts: ChangeCounts = { joiners: 0, leaversInactive: 0, leaversMissing: 0, moves: 0, renames: 0, rehires: 0 };
		const activeOnes = () => this.people.filter((p) => p.inSource && p.active);
		// Rehires first (so a leaver of this round is not rehired in the same round).
		const gone = this.people.filter((p) => !p.active || !p.inSource);
		for (let k = 0; k < Math.min(n, gone.length); k++) {
			const p = gone[Math.floor(this.random() * gone.length)];
			if (p.active && p.inSource) continue;
			p.active = true;
			p.inSource = true;
			p.dept = this.pick(DEPARTMENTS);
			counts.rehires++;
		}
		for (let k = 0; k < n; k++) {
			this.people.push(this.newPerson());
			counts.joiners++;
		}
		for (let k = 0; k < n; k++) {
			const pool = activeOnes();
			const p = pool[Math.floor(this.random() * pool.length)];
			if (k % 2 === 0) {
				p.active = false;
				counts.leaversInactive++;
			} else {
				p.inSource = false;
				counts.leaversMissing++;
			}
		}
		for (let k = 0; k < n; k++) {
			const p = this.pick(activeOnes());
			p.dept = DEPARTMENTS[(DEPARTMENTS.indexOf(p.dept) + 1 + Math.floor(this.random() * 3)) % DEPARTMENTS.length];
			p.title = this.pick(TITLES);
			counts.moves++;
		}
		for (let k = 0; k < n; k++) {
			const p = this.pick(activeOnes());
			p.family = `Renamed ${p.i} g${this.generation}`;
			p.userName = `user${p.i}.g${this.generation}.s${this.seed}@acme.nl`;
			counts.renames++;
		}
		return counts;
	}
}

export interface StateReport {
	/** What does not hold, for users the run's Issues do not name (must be empty). */
	unexplained: string[];
	/** Users that differ from the desired state and are named by the Issues (not reached). */
	notReachedDiffering: string[];
	duplicates: string[];
	users: number;
}

type Json = Record<string, any>;

function memberIds(group: Json | undefined): Set<string> {
	return new Set(((group?.members ?? []) as Array<{ value: string }>).map((m) => m.value));
}

/** What differs between Plek and the desired state of one person (empty when exact). */
function differences(world: World, p: Person, user: Json | undefined, groups: Map<string, Json>): string[] {
	if (!p.inSource || !p.active) {
		// Leavers (inactive or missing from the source): deactivated when Plek has them, otherwise left alone.
		return user && user.active !== false ? [`${p.key}: a leaver is still active`] : [];
	}
	if (!user) return [`${p.key}: missing in Plek`];
	const diffs: string[] = [];
	const record = world.record(p);
	if (user.userName !== record.userName) diffs.push(`${p.key}: userName ${user.userName} != ${record.userName}`);
	if (user.active !== true) diffs.push(`${p.key}: not active`);
	for (const [path, value] of Object.entries(record.profile)) {
		const actual = readScimPath(user, path);
		if (actual !== value) diffs.push(`${p.key}: ${path} = ${JSON.stringify(actual)}, wanted ${JSON.stringify(value)}`);
	}
	const wanted = new Set(record.groups);
	for (const name of RULE_GROUPS) {
		const member = memberIds(groups.get(name)).has(user.id);
		if (member !== wanted.has(name)) diffs.push(`${p.key}: ${member ? 'still in' : 'not in'} group ${name}`);
	}
	return diffs;
}

/**
 * Checks Plek against the world: no duplicate externalId, userName or group; every person exact unless their key is
 * in `notReached` (the keys the run's Issues name); unmanaged accounts untouched.
 */
export function checkState(sandbox: RunningSandbox, world: World, notReached: ReadonlySet<string>, unmanaged: Json[] = []): StateReport {
	const users = sandbox.users() as Json[];
	const duplicates: string[] = [];
	const byKey = new Map<string, Json>();
	const userNames = new Set<string>();
	for (const user of users) {
		const name = String(user.userName).toLowerCase();
		if (userNames.has(name)) duplicates.push(`userName ${name}`);
		userNames.add(name);
		if (typeof user.externalId !== 'string') continue;
		if (byKey.has(user.externalId)) duplicates.push(`externalId ${user.externalId}`);
		byKey.set(user.externalId, user);
	}
	const groups = new Map<string, Json>();
	for (const group of sandbox.groups() as Json[]) {
		const name = String(group.displayName).toLowerCase();
		if ([...groups.keys()].some((g) => g.toLowerCase() === name)) duplicates.push(`group ${group.displayName}`);
		groups.set(group.displayName, group);
	}
	const unexplained: string[] = [];
	const notReachedDiffering: string[] = [];
	for (const p of world.people) {
		const diffs = differences(world, p, byKey.get(p.key), groups);
		if (diffs.length === 0) continue;
		if (notReached.has(p.key)) notReachedDiffering.push(p.key);
		else unexplained.push(...diffs);
	}
	const known = new Set(world.people.map((p) => p.key));
	for (const key of byKey.keys()) if (!known.has(key)) unexplained.push(`${key}: a user nobody asked for`);
	for (const before of unmanaged) {
		const now = users.find((u) => u.id === before.id);
		if (!now || now.active !== before.active || now.externalId !== undefined || now.userName !== before.userName) {
			unexplained.push(`unmanaged ${before.userName} was changed`);
		}
	}
	return { unexplained, notReachedDiffering, duplicates, users: users.length };
}

/** Requests by kind from the sandbox counters: total, 429, 5xx, dropped, and the share that failed. */
export function faultCounts(counters: ReturnType<RunningSandbox['counters']>): {
	total: number;
	rateLimited: number;
	serverErrors: number;
	dropped: number;
	writes: number;
	failing: number;
	failingShare: number;
} {
	const s = counters.byStatus;
	const serverErrors = (s['500'] ?? 0) + (s['502'] ?? 0) + (s['503'] ?? 0);
	const rateLimited = s['429'] ?? 0;
	const failing = serverErrors + rateLimited + counters.dropped;
	return {
		total: counters.total,
		rateLimited,
		serverErrors,
		dropped: counters.dropped,
		writes: counters.writes,
		failing,
		failingShare: counters.total ? failing / counters.total : 0,
	};
}
