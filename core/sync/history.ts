// The History view: one row per person (or created group) per run that wrote, would write, was skipped for a
// reason, failed or was blocked. A view of the plan's decisions and the run's outcomes (the Changes items with
// their status, the Issues with their HTTP status): nothing here decides anything, and no step kind is listed
// here that the plan does not already carry. Rows are flat and every field is always present, so a Data Table or
// a Postgres table created once can take every run's rows (README: "History fields").
import type { Decision, Rule } from './planner/decision';
import type { ChangeItem, IssueItem, SyncPlan } from './types';

export type HistoryOutcome =
	| 'planned'
	| 'done'
	| 'failed'
	| 'partial'
	| 'notAttempted'
	| 'blocked'
	| 'skipped'
	| 'conflict'
	| 'invalid'
	| 'unchanged';

/** One History item. Field names are part of the contract: never rename one, only add. */
export interface HistoryRow {
	/** The run: n8n's execution id. */
	runId: string;
	/** When the run started (ISO 8601, UTC). */
	time: string;
	/** apply | dryRun | explain | applyOne. */
	mode: string;
	kind: 'user' | 'group';
	key: string;
	userName: string;
	displayName: string;
	/** The group a group row is about (created in this run). */
	groupName: string;
	/** What the decision amounts to: its first write (create, update, deactivate, ...) or skipped / conflict / invalid / unchanged. */
	action: string;
	/** Every write kind of the row, comma-separated (e.g. "create, groupAdd, manager"). */
	actions: string;
	/** The planner rule that decided (core/sync/README.md). */
	rule: string;
	/** The decision in words, and the reason of every issue about the person. */
	reason: string;
	outcome: HistoryOutcome;
	/** JSON object: each changed attribute's Plek value before ({} when none). */
	before: string;
	/** JSON object: each changed attribute's value after. */
	after: string;
	/** Groups joined / left, comma-separated. */
	groupsAdded: string;
	groupsRemoved: string;
	/** The failure, when the outcome is failed or partial. */
	error: string;
	/** HTTP status of the failed write; null when there was none. */
	httpStatus: number | null;
}

export interface HistoryMeta {
	runId: string;
	time: string;
	mode: string;
	/** One row per unchanged person too (large: every person, every run). Default false. */
	includeUnchanged?: boolean;
}

/** The rules in words, tense-neutral (a dry run would do it, a run did it). */
const RULE_WORDS: Record<Rule, string> = {
	invalidRecord: 'the input record is invalid',
	duplicateKey: 'several input records have this mapping key',
	duplicateUserName: 'several active input records have this userName',
	duplicateExternalId: 'several Plek users have this externalId',
	leaverNotCreated: 'inactive in the source and not in Plek: leavers are never created',
	create: 'active in the source and not in Plek: create',
	createSwitchedOff: 'not in Plek, but Create Users is off',
	noUserNameToCreate: 'not in Plek, and the record has no userName to create it with',
	adoptionCandidate: 'an unmanaged Plek account matches',
	adopted: 'an unmanaged Plek account with the same userName or e-mail: adopt it (externalId = mapping key)',
	adoptionAmbiguous: 'several unmanaged Plek accounts match',
	keyChanged: 'the mapping key changed',
	userNameTaken: 'the userName belongs to another person',
	unmanagedNotTouched: 'an unmanaged Plek account holds the userName',
	matched: 'in Plek under this mapping key: Plek follows the source',
	deactivateLeaver: 'inactive in the source: deactivate',
	deactivateSwitchedOff: 'inactive in the source, but Deactivate Leavers is off',
	alreadyInactive: 'inactive in the source and already inactive in Plek',
	missingLeftAlone: 'managed in Plek but not in the input: left alone',
	missingProtected: 'not in the input, but part of a key change: not deactivated',
	missingDeactivationOff: 'not in the input, but Deactivate Leavers is off',
	deactivateMissing: 'managed in Plek and missing from the input: deactivate',
	groupRemoval: 'no longer matches a rule-managed group: remove',
	protectedAccount: 'a protected account: nothing is written',
	preHireNotYet: 'start date not yet due: not created yet',
	preHireCreate: 'start date within Create Pre-hires: create inactive, activated on the start date',
	preHireWaiting: 'start date ahead: stays inactive until then',
};

/** The decision's words, with the start date where one decided. */
export function ruleWords(d: Pick<Decision, 'rule' | 'record'>): string {
	const words = RULE_WORDS[d.rule];
	const start = d.record?.startDate;
	return start !== undefined && d.rule.startsWith('preHire') ? `${words} (starts ${start})` : words;
}

const DECIDED_ONLY: ReadonlySet<Decision['action']> = new Set(['skipped', 'conflict', 'invalid', 'unchanged']);

function valuesOf(item: ChangeItem, side: 'before' | 'after'): string {
	const values: Record<string, unknown> = {};
	for (const change of item.attributes) if (change[side] !== undefined) values[change.path] = change[side];
	return JSON.stringify(values);
}

function emptyRow(meta: HistoryMeta): HistoryRow {
	return {
		runId: meta.runId, time: meta.time, mode: meta.mode, kind: 'user', key: '', userName: '', displayName: '', groupName: '',
		action: '', actions: '', rule: '', reason: '', outcome: 'planned', before: '{}', after: '{}', groupsAdded: '', groupsRemoved: '',
		error: '', httpStatus: null,
	};
}

/** The decisions per key (a person may have a record decision and a group-removal decision). */
function decisionsByKey(decisions: readonly Decision[]): Map<string, Decision[]> {
	const byKey = new Map<string, Decision[]>();
	for (let i = 0; i < decisions.length; i++) {
		const d = decisions[i];
		if (d.key === undefined || (d.steps.length === 0 && d.issues.length === 0 && d.action !== 'skipped')) continue;
		const list = byKey.get(d.key);
		if (list) list.push(d);
		else byKey.set(d.key, [d]);
	}
	return byKey;
}

function reasonOf(decisions: readonly Decision[] | undefined, issues: readonly IssueItem[]): string {
	const words = [...new Set((decisions ?? []).map(ruleWords))];
	for (const issue of issues) if (issue.type !== 'failed' && issue.type !== 'notAttempted') words.push(issue.reason);
	return words.join('; ');
}

function changeRow(item: ChangeItem, meta: HistoryMeta, decided: readonly Decision[] | undefined, issues: readonly IssueItem[], blocked: boolean): HistoryRow {
	const row = emptyRow(meta);
	row.kind = item.kind;
	row.key = item.key ?? '';
	row.userName = item.userName ?? '';
	row.displayName = item.displayName ?? '';
	row.groupName = item.groupName ?? '';
	row.action = item.actions[0] ?? '';
	row.actions = item.actions.join(', ');
	row.rule = decided?.[0]?.rule ?? '';
	row.reason = item.kind === 'group' ? 'a group rule names it and Create Missing Groups is on: create' : reasonOf(decided, issues);
	row.outcome = blocked ? 'blocked' : item.status;
	row.before = valuesOf(item, 'before');
	row.after = valuesOf(item, 'after');
	row.groupsAdded = item.groups.added.join(', ');
	row.groupsRemoved = item.groups.removed.join(', ');
	row.error = item.error ?? issues.find((i) => i.type === 'failed')?.reason ?? '';
	row.httpStatus = issues.find((i) => i.status !== undefined)?.status ?? null;
	return row;
}

/** A person the run did not write to: what was decided, else what the issues say. */
function decidedOutcome(d: Decision, issues: readonly IssueItem[]): HistoryOutcome {
	if (DECIDED_ONLY.has(d.action)) return d.action as HistoryOutcome;
	if (issues.some((i) => i.type === 'conflict')) return 'conflict';
	return issues.some((i) => i.type === 'invalid' || i.type === 'duplicateKey') ? 'invalid' : 'unchanged';
}

/** A person the run did not write to: skipped, conflict, invalid (or unchanged, when asked). */
function decidedRow(d: Decision, meta: HistoryMeta, issues: readonly IssueItem[]): HistoryRow {
	const row = emptyRow(meta);
	row.key = d.key ?? '';
	row.userName = d.record?.userName ?? d.user?.userName ?? issues.find((i) => i.userName)?.userName ?? '';
	row.displayName = issues.find((i) => i.displayName)?.displayName ?? '';
	row.outcome = decidedOutcome(d, issues);
	row.action = row.outcome;
	row.rule = d.rule;
	row.reason = reasonOf([d], issues);
	return row;
}

function issuesByKey(issues: readonly IssueItem[]): Map<string, IssueItem[]> {
	const byKey = new Map<string, IssueItem[]>();
	for (const issue of issues) {
		if (issue.key === undefined) continue;
		const list = byKey.get(issue.key);
		if (list) list.push(issue);
		else byKey.set(issue.key, [issue]);
	}
	return byKey;
}

/**
 * The run's History rows: one per Changes item (with its outcome), then one per person the run decided not to
 * write to (skipped, conflict, invalid; unchanged only when asked), in plan order.
 */
export function historyRows(
	plan: Pick<SyncPlan, 'decisions' | 'blocked'>,
	result: { changes: readonly ChangeItem[]; issues: readonly IssueItem[] },
	meta: HistoryMeta,
): HistoryRow[] {
	const decisions = plan.decisions ?? [];
	const byKey = decisionsByKey(decisions);
	const issues = issuesByKey(result.issues);
	const rows: HistoryRow[] = [];
	const written = new Set<string>();
	for (const item of result.changes) {
		if (item.key !== undefined) written.add(item.key);
		const key = item.key ?? '';
		rows.push(changeRow(item, meta, byKey.get(key), item.key !== undefined ? (issues.get(key) ?? []) : [], plan.blocked !== undefined));
	}
	for (let i = 0; i < decisions.length; i++) {
		const d = decisions[i];
		if (d.key === undefined || written.has(d.key) || d.steps.length > 0) continue;
		const own = issues.get(d.key) ?? [];
		const report = DECIDED_ONLY.has(d.action) || own.length > 0;
		if (!report || (d.action === 'unchanged' && own.length === 0 && meta.includeUnchanged !== true)) continue;
		written.add(d.key);
		rows.push(decidedRow(d, meta, own));
	}
	return rows;
}

/** One reason people were skipped, with how many and the first few (the Summary's skippedBy). */
export interface SkippedGroup {
	reason: string;
	count: number;
	/** The first people: "userName (key)", else the key. */
	first: string[];
}

const SKIP_SHORT: Partial<Record<Rule, string>> = {
	leaverNotCreated: 'leavers not created',
	preHireNotYet: 'pre-hires not yet due',
	createSwitchedOff: 'not created (Create Users is off)',
	deactivateSwitchedOff: 'leavers not deactivated (Deactivate Leavers is off)',
	protectedAccount: 'protected accounts',
};

/** The skipped decisions by reason, largest first: what the Summary's "skipped: N" is made of. */
export function skippedByReason(decisions: readonly Decision[], listed = 5): SkippedGroup[] {
	const groups = new Map<string, SkippedGroup>();
	for (let i = 0; i < decisions.length; i++) {
		const d = decisions[i];
		if (d.action !== 'skipped' || d.steps.length > 0) continue;
		const reason = SKIP_SHORT[d.rule] ?? RULE_WORDS[d.rule];
		let group = groups.get(reason);
		if (!group) groups.set(reason, (group = { reason, count: 0, first: [] }));
		group.count++;
		if (group.first.length < listed) {
			const userName = d.record?.userName ?? d.user?.userName;
			group.first.push(userName !== undefined ? `${userName} (${d.key ?? '?'})` : (d.key ?? '?'));
		}
	}
	return [...groups.values()].sort((a, b) => b.count - a.count);
}
