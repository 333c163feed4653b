// The guards, as data: ONE list (GUARDS), each entry a limit over what the plan would do - what it counts, its
// Sync option and default, its message and advice. Every widening or destructive action is counted by one:
// deactivations (a count, a share of the managed active users, an empty / shrunken source), group creates, group
// removals, adoptions, renames and manager changes. Over any limit the whole plan is blocked, nothing is written,
// and the blocked plan lists every guard with its count and limit; its fingerprint approves exactly that plan.
// A new guard is one entry below (and its count in GuardCounts, derived from the steps in views.ts).
import type { BlockedInfo, GuardLimitOptions, GuardResult, ResolvedSyncOptions, SyncOptions } from '../types';

export interface GuardCounts {
	deactivations: number;
	inactiveInSource: number;
	missingFromSource: number;
	/** Managed users active in Plek (the base of the percentage and the source-size guard). */
	managedActive: number;
	/** Valid input records. */
	inputRecords: number;
	/** Active people in the input (valid, active, start date not in the future): the source-size guard's count, so
	 * historic leavers and future hires never pad a shrunken export. Absent: inputRecords. */
	activePeople?: number;
	groupCreates?: number;
	groupRemovals?: number;
	adoptions?: number;
	/** userName changes of existing accounts. */
	renames?: number;
	/** Manager writes to existing accounts (a new account's manager is part of its create). */
	managerChanges?: number;
}

/** The Sync options that hold a guard's limit. */
export type GuardOption =
	| 'minSourceRatio'
	| 'maxDeactivations'
	| 'maxDeactivationPercent'
	| 'maxGroupCreates'
	| 'maxGroupRemovals'
	| 'maxAdoptions'
	| 'maxRenames'
	| 'maxManagerChanges';

/** The options of the guards beyond deactivations (GuardLimitOptions): the Sync node reads each into SyncOptions. */
export const GUARD_LIMIT_OPTIONS: ReadonlyArray<keyof GuardLimitOptions> = ['maxGroupCreates', 'maxGroupRemovals', 'maxAdoptions', 'maxRenames', 'maxManagerChanges'];

interface Finding {
	problem: string;
	advice: string;
}

export interface Guard {
	/** The Sync option holding the limit (the Sync node's Safety Guards have the same name). */
	option: GuardOption;
	/** The option's name in the Sync node, for the advice. */
	label: string;
	/** What it counts, in words. */
	counts: string;
	/** Its limit when the option is not set; a negative limit switches a count guard off. */
	defaultLimit: number;
	/** Deactivation guards judge only a plan with deactivations, and share the deactivations' sentence. */
	deactivation: boolean;
	count(c: GuardCounts): number;
	/** What is wrong when the plan is over the limit, with the advice; undefined when it is within. */
	judge(c: GuardCounts, limit: number): Finding | undefined;
}

/** A guard that counts one kind of change against a number per run. */
function perRun(option: GuardOption, label: string, counts: string, defaultLimit: number, count: (c: GuardCounts) => number): Guard {
	return {
		option,
		label,
		counts,
		defaultLimit,
		deactivation: false,
		count,
		judge(c, limit) {
			const n = count(c);
			if (limit < 0 || n <= limit) return undefined;
			return { problem: `${n} ${counts} exceed the limit of ${limit} per run`, advice: `raise "${label}" to ${n} or more` };
		},
	};
}

const people = (c: GuardCounts) => c.activePeople ?? c.inputRecords;

export const GUARDS: readonly Guard[] = [
	{
		option: 'minSourceRatio',
		label: 'Min Source Ratio',
		counts: 'active people in the input',
		defaultLimit: 0.5,
		deactivation: true,
		count: people,
		judge(c, ratio) {
			if (c.inputRecords === 0) {
				return { problem: 'the input is empty (an empty source never deactivates anyone)', advice: 'check the source node and the Mapper: they produced no valid records' };
			}
			if (ratio <= 0 || people(c) >= ratio * c.managedActive) return undefined;
			return {
				problem: `the input has only ${people(c)} valid record(s) for ${c.managedActive} managed active Plek users (active people only: leavers and future hires do not count; fewer than ${ratio * 100}%: a shrunken source never deactivates anyone)`,
				advice: `if the source really shrank, lower "Min Source Ratio" below ${(people(c) / Math.max(1, c.managedActive)).toFixed(2)}`,
			};
		},
	},
	{ ...perRun('maxDeactivations', 'Max Deactivations', 'deactivations', 25, (c) => c.deactivations), deactivation: true },
	{
		option: 'maxDeactivationPercent',
		label: 'Max Deactivation Percent',
		counts: 'deactivations as a percentage of the managed active users',
		defaultLimit: 10,
		deactivation: true,
		count: (c) => c.deactivations,
		judge(c, limit) {
			const percent = c.managedActive > 0 ? (c.deactivations * 100) / c.managedActive : 100;
			if (limit < 0 || percent <= limit) return undefined;
			return {
				problem: `${c.deactivations} of ${c.managedActive} managed active users is ${percent.toFixed(1)}%, over the limit of ${limit}%`,
				advice: `raise "Max Deactivation Percent" to ${Math.ceil(percent)} or more`,
			};
		},
	},
	perRun('maxGroupCreates', 'Max Group Creates', 'group creates', 10, (c) => c.groupCreates ?? 0),
	perRun('maxGroupRemovals', 'Max Group Removals', 'group removals', 50, (c) => c.groupRemovals ?? 0),
	perRun('maxAdoptions', 'Max Adoptions', 'adoptions of unmanaged accounts', 25, (c) => c.adoptions ?? 0),
	perRun('maxRenames', 'Max Renames', 'userName changes', 25, (c) => c.renames ?? 0),
	perRun('maxManagerChanges', 'Max Manager Changes', 'manager changes', 100, (c) => c.managerChanges ?? 0),
];

/** Each guard's limit: the option when it is a number, else the guard's default. */
export function guardLimit(guard: Guard, options: ResolvedSyncOptions | SyncOptions): number {
	const value = (options as Partial<Record<GuardOption, unknown>>)[guard.option];
	return typeof value === 'number' && !Number.isNaN(value) ? value : guard.defaultLimit;
}

/** The limit of the guard behind one option. */
export function limitOf(option: GuardOption, options: ResolvedSyncOptions | SyncOptions): number {
	return guardLimit(GUARDS.find((g) => g.option === option) as Guard, options);
}

/** Every guard's count and limit, for the blocked plan (shown whether or not it fired). */
export function judgeGuards(options: ResolvedSyncOptions | SyncOptions, c: GuardCounts): GuardResult[] {
	return GUARDS.map((guard) => {
		const limit = guardLimit(guard, options);
		const finding = guard.deactivation && c.deactivations === 0 ? undefined : guard.judge(c, limit);
		return { guard: guard.option, counts: guard.counts, count: guard.count(c), limit, blocks: finding !== undefined, ...(finding ? { problem: finding.problem } : {}) };
	});
}

function blockedReason(c: GuardCounts, deactivation: Finding[], other: Finding[]): string {
	const parts: string[] = [];
	if (deactivation.length > 0) {
		parts.push(
			`${c.deactivations} deactivation(s) planned (${c.inactiveInSource} inactive in the source, ${c.missingFromSource} missing from the source), ` +
				`but ${deactivation.map((f) => f.problem).join('; and ')}`,
		);
	}
	for (const f of other) parts.push(f.problem);
	const what = other.length === 0 ? 'deactivations' : 'changes';
	const advice = [...deactivation, ...other].map((f) => f.advice).join('; ');
	return `Sync blocked, nothing was written: ${parts.join('; and ')}. If these ${what} are intended: ${advice}. Run with Dry Run to see the full plan.`;
}

/** The guards' verdict over a plan's counts: blocked (with the reason naming each guard over its limit), or undefined. */
export function checkGuards(o: ResolvedSyncOptions | SyncOptions, c: GuardCounts): BlockedInfo | undefined {
	const deactivation: Finding[] = [];
	const other: Finding[] = [];
	for (const guard of GUARDS) {
		if (guard.deactivation && c.deactivations === 0) continue;
		const finding = guard.judge(c, guardLimit(guard, o));
		if (finding) (guard.deactivation ? deactivation : other).push(finding);
	}
	if (deactivation.length === 0 && other.length === 0) return undefined;
	return { reason: blockedReason(c, deactivation, other), counts: blockedCounts(o, c), guards: judgeGuards(o, c) };
}

/** The deactivation counts and limits a blocked plan carries (BlockedInfo.counts). */
export function blockedCounts(o: ResolvedSyncOptions | SyncOptions, c: GuardCounts): BlockedInfo['counts'] {
	return {
		deactivations: c.deactivations,
		inactiveInSource: c.inactiveInSource,
		missingFromSource: c.missingFromSource,
		managedActive: c.managedActive,
		inputRecords: c.inputRecords,
		maxDeactivations: limitOf('maxDeactivations', o),
		maxDeactivationPercent: limitOf('maxDeactivationPercent', o),
		minSourceRatio: limitOf('minSourceRatio', o),
	};
}
