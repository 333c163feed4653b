// The guards, as data: ONE list (GUARDS), each entry a limit over the change set - what it counts (a function of
// the plan's writes), its Sync option, default and description (the Sync node builds its Safety Guards options
// from these), its message and advice. Every widening or destructive action is counted by one: deactivations (a
// count, a share of the managed active users, an empty / shrunken source), group creates, group removals,
// adoptions, renames and manager changes. Over any limit the whole plan is blocked, nothing is written, and the
// blocked plan lists every guard with its count and limit; its fingerprint approves exactly that plan.
// A new guard is one entry below (and its test): its option, its count over the change set, its words.
// Imports the change set only (model.ts), so core/sync/types.ts can derive the options' type from the list.
import type { AttributeChange, BlockedInfo, GuardResult, PlannedStep, StepKind } from '../model';

/** What the guards judge: the plan's writes by kind (the change set), and the numbers a limit is relative to. */
export interface GuardInput {
	/** The planned writes of one kind, in plan order. */
	writes(kind: StepKind): readonly PlannedStep[];
	/** Managed users active in Plek (the base of the percentage and the source-size guard). */
	managedActive: number;
	/** Valid input records. */
	inputRecords: number;
	/** Active people in the input (valid, active, start date not in the future): the source-size guard's count, so
	 * historic leavers and future hires never pad a shrunken export. Absent: inputRecords. */
	activePeople?: number;
}

const NO_WRITES: readonly PlannedStep[] = Object.freeze([]);

/** The guards' view of a plan: its steps grouped by kind in one pass. */
export function guardInput(steps: readonly PlannedStep[], numbers: Omit<GuardInput, 'writes'>): GuardInput {
	const byKind = new Map<StepKind, PlannedStep[]>();
	for (const step of steps) {
		const list = byKind.get(step.kind);
		if (list) list.push(step);
		else byKind.set(step.kind, [step]);
	}
	return { ...numbers, writes: (kind) => byKind.get(kind) ?? NO_WRITES };
}

/** The planned deactivations, by why. */
export function deactivationsOf(input: GuardInput): { deactivations: number; inactiveInSource: number; missingFromSource: number } {
	const steps = input.writes('deactivate');
	let missingFromSource = 0;
	for (const step of steps) if (step.kind === 'deactivate' && step.reason === 'missing from source') missingFromSource++;
	return { deactivations: steps.length, inactiveInSource: steps.length - missingFromSource, missingFromSource };
}

/** The attribute changes of the PATCHes of existing accounts (updates and adoptions). */
function* patchedAttributes(input: GuardInput): Generator<AttributeChange[]> {
	for (const kind of ['update', 'adopt'] as const) for (const step of input.writes(kind)) if (step.kind === kind) yield step.changes;
}

/** Existing accounts whose PATCH changes this attribute (lower case path). */
function patchesChanging(input: GuardInput, path: string): number {
	let n = 0;
	for (const changes of patchedAttributes(input)) if (changes.some((c) => c.path.toLowerCase() === path)) n++;
	return n;
}

interface Finding {
	problem: string;
	advice: string;
}

/** The Sync node's option for a guard's limit (plain data: the node maps it onto an n8n number option). */
export interface GuardOptionText {
	/** Its name in the Sync node's Safety Guards, where it differs from the advice's label. */
	displayName?: string;
	description: string;
	minValue: number;
	maxValue?: number;
	numberPrecision?: number;
}

export interface Guard<Option extends string = string> {
	/** The Sync option holding the limit (the Sync node's Safety Guards option has the same name). */
	option: Option;
	/** The option's name in the Sync node, for the advice. */
	label: string;
	/** What it counts, in words. */
	counts: string;
	/** Its limit when the option is not set; a negative limit switches a count guard off. */
	defaultLimit: number;
	/** Deactivation guards judge only a plan with deactivations, and share the deactivations' sentence. */
	deactivation: boolean;
	node: GuardOptionText;
	count(input: GuardInput): number;
	/** What is wrong when the plan is over the limit, with the advice; undefined when it is within. */
	judge(input: GuardInput, limit: number): Finding | undefined;
}

/** A guard that counts one kind of change against a number per run. */
function perRun<Option extends string>(option: Option, label: string, counts: string, defaultLimit: number, description: string, count: (input: GuardInput) => number): Guard<Option> {
	return {
		option,
		label,
		counts,
		defaultLimit,
		deactivation: false,
		node: { description, minValue: -1 },
		count,
		judge(input, limit) {
			const n = count(input);
			if (limit < 0 || n <= limit) return undefined;
			return { problem: `${n} ${counts} exceed the limit of ${limit} per run`, advice: `raise "${label}" to ${n} or more` };
		},
	};
}

const people = (input: GuardInput) => input.activePeople ?? input.inputRecords;

const minSourceRatio: Guard<'minSourceRatio'> = {
	option: 'minSourceRatio',
	label: 'Min Source Ratio',
	counts: 'active people in the input',
	defaultLimit: 0.5,
	deactivation: true,
	node: {
		displayName: 'Min Source Size Ratio',
		description:
			'When the input holds fewer records than this share of the active managed Plek users (a broken export?), no one is deactivated; 0 switches the guard off',
		minValue: 0,
		maxValue: 1,
		numberPrecision: 2,
	},
	count: people,
	judge(input, ratio) {
		if (input.inputRecords === 0) {
			return { problem: 'the input is empty (an empty source never deactivates anyone)', advice: 'check the source node and the Mapper: they produced no valid records' };
		}
		if (ratio <= 0 || people(input) >= ratio * input.managedActive) return undefined;
		return {
			problem: `the input has only ${people(input)} valid record(s) for ${input.managedActive} managed active Plek users (active people only: leavers and future hires do not count; fewer than ${ratio * 100}%: a shrunken source never deactivates anyone)`,
			advice: `if the source really shrank, lower "Min Source Ratio" below ${(people(input) / Math.max(1, input.managedActive)).toFixed(2)}`,
		};
	},
};

const maxDeactivationPercent: Guard<'maxDeactivationPercent'> = {
	option: 'maxDeactivationPercent',
	label: 'Max Deactivation Percent',
	counts: 'deactivations as a percentage of the managed active users',
	defaultLimit: 10,
	deactivation: true,
	node: { displayName: 'Max Deactivation Percentage', description: 'Most users one run may deactivate, as a percentage of the active managed Plek users; -1 means no limit', minValue: -1, maxValue: 100 },
	count: (input) => input.writes('deactivate').length,
	judge(input, limit) {
		const n = input.writes('deactivate').length;
		const percent = input.managedActive > 0 ? (n * 100) / input.managedActive : 100;
		if (limit < 0 || percent <= limit) return undefined;
		return {
			problem: `${n} of ${input.managedActive} managed active users is ${percent.toFixed(1)}%, over the limit of ${limit}%`,
			advice: `raise "Max Deactivation Percent" to ${Math.ceil(percent)} or more`,
		};
	},
};

export const GUARDS = [
	minSourceRatio,
	{ ...perRun('maxDeactivations', 'Max Deactivations', 'deactivations', 25, 'Most users one run may deactivate; -1 means no limit', (input) => input.writes('deactivate').length), deactivation: true },
	maxDeactivationPercent,
	perRun('maxGroupCreates', 'Max Group Creates', 'group creates', 10, 'Most groups one run may create (Create Missing Groups): a typo or a new source value must not create thousands of groups. -1 means no limit.', (input) => input.writes('groupCreate').length),
	perRun('maxGroupRemovals', 'Max Group Removals', 'group removals', 50, 'Most people one run may remove from groups (Remove From Rule Groups); -1 means no limit', (input) => input.writes('groupRemove').length),
	perRun('maxAdoptions', 'Max Adoptions', 'adoptions of unmanaged accounts', 25, 'Most hand-made Plek accounts one run may adopt (take over); over it nothing is written until an admin approves the plan. -1 means no limit.', (input) => input.writes('adopt').length),
	perRun('maxRenames', 'Max Renames', 'userName changes', 25, 'Most existing accounts whose user name one run may change; -1 means no limit', (input) => patchesChanging(input, 'username')),
	perRun('maxManagerChanges', 'Max Manager Changes', 'manager changes', 100, "Most existing accounts whose manager one run may change (a new account's manager is part of its create); -1 means no limit", (input) =>
		patchesChanging(input, 'manager') + input.writes('manager').filter((s) => s.kind === 'manager' && 'userId' in s.userRef).length,
	),
] as const satisfies readonly Guard[];

/** The Sync options that hold a guard's limit: one per entry of GUARDS. */
export type GuardOption = (typeof GUARDS)[number]['option'];

/** The options of the guards beyond deactivations (GuardLimitOptions in types.ts): each a plain per-run count. */
export type GuardLimitOption = Exclude<GuardOption, 'minSourceRatio' | 'maxDeactivations' | 'maxDeactivationPercent'>;

/** The options of the guards beyond deactivations: the Sync node reads each into SyncOptions. */
export const GUARD_LIMIT_OPTIONS: ReadonlyArray<GuardLimitOption> = GUARDS.filter((g) => !g.deactivation).map((g) => g.option as GuardLimitOption);

/** Each guard's limit: the option when it is a number, else the guard's default. */
export function guardLimit(guard: Guard, options: object): number {
	const value = (options as Partial<Record<string, unknown>>)[guard.option];
	return typeof value === 'number' && !Number.isNaN(value) ? value : guard.defaultLimit;
}

/** The limit of the guard behind one option. */
export function limitOf(option: GuardOption, options: object): number {
	return guardLimit(GUARDS.find((g) => g.option === option) as Guard, options);
}

/** Every guard's count and limit, for the blocked plan (shown whether or not it fired). */
export function judgeGuards(options: object, input: GuardInput): GuardResult[] {
	const deactivations = input.writes('deactivate').length;
	return GUARDS.map((guard: Guard) => {
		const limit = guardLimit(guard, options);
		const finding = guard.deactivation && deactivations === 0 ? undefined : guard.judge(input, limit);
		return { guard: guard.option, counts: guard.counts, count: guard.count(input), limit, blocks: finding !== undefined, ...(finding ? { problem: finding.problem } : {}) };
	});
}

function blockedReason(input: GuardInput, deactivation: Finding[], other: Finding[]): string {
	const parts: string[] = [];
	if (deactivation.length > 0) {
		const d = deactivationsOf(input);
		parts.push(
			`${d.deactivations} deactivation(s) planned (${d.inactiveInSource} inactive in the source, ${d.missingFromSource} missing from the source), ` +
				`but ${deactivation.map((f) => f.problem).join('; and ')}`,
		);
	}
	for (const f of other) parts.push(f.problem);
	const what = other.length === 0 ? 'deactivations' : 'changes';
	const advice = [...deactivation, ...other].map((f) => f.advice).join('; ');
	return `Sync blocked, nothing was written: ${parts.join('; and ')}. If these ${what} are intended: ${advice}. Run with Dry Run to see the full plan.`;
}

/** The guards' verdict over a plan's change set: blocked (with the reason naming each guard over its limit), or undefined. */
export function checkGuards(o: object, input: GuardInput): BlockedInfo | undefined {
	const deactivation: Finding[] = [];
	const other: Finding[] = [];
	const anyDeactivation = input.writes('deactivate').length > 0;
	for (const guard of GUARDS as readonly Guard[]) {
		if (guard.deactivation && !anyDeactivation) continue;
		const finding = guard.judge(input, guardLimit(guard, o));
		if (finding) (guard.deactivation ? deactivation : other).push(finding);
	}
	if (deactivation.length === 0 && other.length === 0) return undefined;
	return { reason: blockedReason(input, deactivation, other), counts: blockedCounts(o, input), guards: judgeGuards(o, input) };
}

/** The deactivation counts and limits a blocked plan carries (BlockedInfo.counts). */
export function blockedCounts(o: object, input: GuardInput): BlockedInfo['counts'] {
	return {
		...deactivationsOf(input),
		managedActive: input.managedActive,
		inputRecords: input.inputRecords,
		maxDeactivations: limitOf('maxDeactivations', o),
		maxDeactivationPercent: limitOf('maxDeactivationPercent', o),
		minSourceRatio: limitOf('minSourceRatio', o),
	};
}
